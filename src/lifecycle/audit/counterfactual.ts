/**
 * Would another rule set have archived this lesson, and when? The policy fold is run in memory over the same
 * events under that rule set's rules, with every policy decision actually recorded left out (the
 * counterfactual policy takes their place; human decisions stay). Nothing is written.
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { BanditRules } from '../../../projections/bandit-rules.js';
import { applyPolicyEvent, emptyPolicyState } from '../policy/policy-state.js';

export interface CounterfactualArchive {
  lessonId: string;
  ruleSetId: string;
  ruleSetVersion: number;
  wouldArchive: boolean;
  /** The reward on which it would have archived it. */
  at: { triggeringEventId: string; globalPosition: string; occurredAt: string } | null;
  numbers: Record<string, number> | null;
  /** When the lesson was in fact archived (first time), for comparison. */
  actuallyArchived: { eventId: string; globalPosition: string; decidedBy: string; ruleSetId: string | null } | null;
}

const isPolicyDecision = (event: RecordedEvent) =>
  (event.type === 'LessonStatusChanged' || event.type === 'LessonMatchChanged') && (event.data as { decidedBy?: string }).decidedBy === 'policy';

export function counterfactualArchive(events: readonly RecordedEvent[], lessonId: string, rules: BanditRules): CounterfactualArchive {
  const state = emptyPolicyState();
  let archive: CounterfactualArchive['at'] = null;
  let numbers: Record<string, number> | null = null;
  for (const event of events) {
    if (isPolicyDecision(event)) continue;
    const decisions = applyPolicyEvent(state, event, rules);
    const found = decisions.find((d) => d.lessonId === lessonId && d.kind === 'archive');
    if (found && !archive) {
      archive = { triggeringEventId: found.triggeringEventId, globalPosition: found.triggeringGlobalPosition, occurredAt: found.occurredAt };
      numbers = found.command.evidence?.numbers ?? null;
    }
    state.outbox = [];
  }
  const actual = events.find(
    (e) => e.type === 'LessonStatusChanged' && (e.data as { lessonId: string; to: string }).lessonId === lessonId && (e.data as { to: string }).to === 'archived',
  );
  const actualData = actual?.data as { decidedBy: string; ruleSetId?: string } | undefined;
  return {
    lessonId,
    ruleSetId: rules.ruleSetId,
    ruleSetVersion: rules.ruleSetVersion,
    wouldArchive: archive !== null,
    at: archive,
    numbers,
    actuallyArchived: actual
      ? { eventId: actual.eventId, globalPosition: actual.globalPosition.toString(), decidedBy: actualData!.decidedBy, ruleSetId: actualData!.ruleSetId ?? null }
      : null,
  };
}
