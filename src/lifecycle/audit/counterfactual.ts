/**
 * Would another rule set have archived this lesson (or flagged it for mutation), and when? The policy fold is run in memory over the same
 * events under that rule set's rules, with every policy decision actually recorded left out (the
 * counterfactual policy takes their place; human decisions stay). Nothing is written.
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { BanditRules } from '../../../projections/bandit/bandit-rules.js';
import type { RewardSteps } from '../../../projections/bandit/posterior.js';
import { applyPolicyEvent, emptyPolicyState } from '../policy/policy-state.js';

export interface CounterfactualArchive {
  lessonId: string;
  ruleSetId: string;
  ruleSetVersion: number;
  wouldArchive: boolean;
  /** The reward on which it would have archived it. */
  at: { triggeringEventId: string; globalPosition: string; occurredAt: string } | null;
  numbers: Record<string, number> | null;
  /** Whether and when it would have flagged the lesson for mutation (first flag). */
  wouldFlagForMutation: { reason: string; triggeringEventId: string; globalPosition: string; occurredAt: string; numbers: Record<string, number> } | null;
  /** The flags actually recorded for the lesson (any rule set). */
  actuallyFlagged: { eventId: string; globalPosition: string; reason: string; ruleSetId: string }[];
  /** When the lesson was in fact archived (first time), for comparison. */
  actuallyArchived: { eventId: string; globalPosition: string; decidedBy: string; ruleSetId: string | null } | null;
}

/** A decision the policy recorded (a human decision is not one). */
export const isPolicyDecision = (event: RecordedEvent) =>
  (event.type === 'LessonStatusChanged' || event.type === 'LessonMatchChanged' || event.type === 'LessonFlaggedForMutation') &&
  (event.data as { decidedBy?: string }).decidedBy === 'policy';

export function counterfactualArchive(events: readonly RecordedEvent[], lessonId: string, rules: BanditRules, steps?: RewardSteps): CounterfactualArchive {
  const state = emptyPolicyState();
  let archive: CounterfactualArchive['at'] = null;
  let numbers: Record<string, number> | null = null;
  let flag: CounterfactualArchive['wouldFlagForMutation'] = null;
  for (const event of events) {
    if (isPolicyDecision(event)) continue;
    const decisions = applyPolicyEvent(state, event, rules, steps?.get(event.eventId));
    const flagged = decisions.find((d) => d.lessonId === lessonId && d.command.kind === 'flag-mutation');
    if (flagged && !flag && flagged.command.kind === 'flag-mutation') {
      flag = {
        reason: flagged.command.data.reason,
        triggeringEventId: flagged.triggeringEventId,
        globalPosition: flagged.triggeringGlobalPosition,
        occurredAt: flagged.occurredAt,
        numbers: flagged.command.evidence.numbers,
      };
    }
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
    wouldFlagForMutation: flag,
    actuallyFlagged: events
      .filter((e) => e.type === 'LessonFlaggedForMutation' && (e.data as { lessonId: string }).lessonId === lessonId)
      .map((e) => {
        const data = e.data as { reason: string; ruleSetId: string };
        return { eventId: e.eventId, globalPosition: e.globalPosition.toString(), reason: data.reason, ruleSetId: data.ruleSetId };
      }),
    actuallyArchived: actual
      ? { eventId: actual.eventId, globalPosition: actual.globalPosition.toString(), decidedBy: actualData!.decidedBy, ruleSetId: actualData!.ruleSetId ?? null }
      : null,
  };
}
