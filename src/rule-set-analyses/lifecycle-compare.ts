/**
 * Which lessons two rule sets would have archived, promoted, flagged for mutation or had their keywords
 * expanded, and when: the lifecycle policy folded in memory
 * over the log under each rule set's rules, the policy decisions actually recorded left out (as the
 * counterfactual audit of one lesson does, `src/lifecycle/audit/counterfactual.ts`), for every lesson at once.
 * The fold goes on from where it stopped as the log grows. Nothing is written.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { banditRules, type BanditRules } from '../../projections/bandit/bandit-rules.js';
import type { RuleValues } from '../../projections/machinery/projection.js';
import { isPolicyDecision } from '../lifecycle/audit/counterfactual.js';
import { rulesOf } from '../lifecycle/policy/policy-rule-sets.js';
import { applyPolicyEvent, emptyPolicyState, POLICY_EVENT_TYPES, type PolicyState } from '../lifecycle/policy/policy-state.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { Position } from '../../contracts/envelope.js';

export type LifecycleDecisionKind = 'archive' | 'promote' | 'expand-keywords' | 'flag-mutation';
const KINDS: readonly LifecycleDecisionKind[] = ['archive', 'promote', 'expand-keywords', 'flag-mutation'];
const DONE: Record<LifecycleDecisionKind, string> = {
  archive: 'archived',
  promote: 'promoted',
  'expand-keywords': 'keywords expanded',
  'flag-mutation': 'flagged for mutation',
};

/** The reward on which the policy would have taken the decision. */
export interface DecisionPoint {
  occurredAt: string;
  triggeringEventId: string;
}

/** lessonId -> the first decision of each kind the policy would take. */
export type LifecycleOutcomes = Map<string, Partial<Record<LifecycleDecisionKind, DecisionPoint>>>;

export interface LifecycleDifference {
  lessonId: string;
  decision: LifecycleDecisionKind;
  underA: DecisionPoint | null;
  underB: DecisionPoint | null;
  reason: string;
}

/** The policy's rules for a rule set's parameters (`null`: the built-in defaults). */
export function lifecycleRules(ruleSetId: string, parameters: RuleValues | null): BanditRules {
  if (!parameters) return banditRules();
  return rulesOf({ ruleSetId, version: 1, parameters, eventId: '', globalPosition: 0n });
}

const POLICY_TYPES = new Set<string>(POLICY_EVENT_TYPES);


/** The events the policy folds after `after`, in log order (only those are kept), and the last position read. */
export async function readPolicyEvents(
  store: EventStore,
  after?: Position,
  pageSize = 5000,
): Promise<{ events: RecordedEvent[]; last: Position | undefined }> {
  const kept: RecordedEvent[] = [];
  let last = after;
  for (;;) {
    const page = await store.readAll({ ...(last ? { after: last } : {}), maxCount: pageSize });
    for (const event of page) if (POLICY_TYPES.has(event.type) && !isPolicyDecision(event)) kept.push(event);
    if (page.length > 0) last = page[page.length - 1]!.position;
    if (page.length < pageSize) return { events: kept, last };
  }
}

/** The policy folded so far under one rule set's rules: more events can be applied as the log grows. */
export interface LifecycleFold {
  state: PolicyState;
  outcomes: LifecycleOutcomes;
  /** How many events of the list given to `advanceLifecycleFold` are applied. */
  applied: number;
}

export function newLifecycleFold(): LifecycleFold {
  return { state: emptyPolicyState(), outcomes: new Map(), applied: 0 };
}

/** Applies `events[fold.applied..]` (the list only ever grows at its end). */
export function advanceLifecycleFold(fold: LifecycleFold, events: readonly RecordedEvent[], rules: BanditRules): LifecycleFold {
  for (; fold.applied < events.length; fold.applied += 1) {
    const event = events[fold.applied]!;
    if (isPolicyDecision(event)) continue;
    for (const decision of applyPolicyEvent(fold.state, event, rules)) {
      const lesson = fold.outcomes.get(decision.lessonId) ?? {};
      lesson[decision.kind] ??= { occurredAt: decision.occurredAt, triggeringEventId: decision.triggeringEventId };
      fold.outcomes.set(decision.lessonId, lesson);
    }
    // Nothing is dispatched: the fold goes on as if every decision had been recorded.
    fold.state.outbox = [];
  }
  return fold;
}

/** Lessons archived (promoted, flagged, expanded) under one rule set and not the other, or on a different reward. */
export function compareLifecycle(a: LifecycleOutcomes, b: LifecycleOutcomes): LifecycleDifference[] {
  const lessons = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: LifecycleDifference[] = [];
  for (const lessonId of lessons) {
    for (const decision of KINDS) {
      const underA = a.get(lessonId)?.[decision] ?? null;
      const underB = b.get(lessonId)?.[decision] ?? null;
      if (underA?.triggeringEventId === underB?.triggeringEventId) continue;
      const done = DONE[decision];
      const reason = !underA
        ? `${done} under b (at ${underB!.occurredAt}), not under a`
        : !underB
          ? `${done} under a (at ${underA.occurredAt}), not under b`
          : `${done} under both, at ${underA.occurredAt} under a and ${underB.occurredAt} under b`;
      out.push({ lessonId, decision, underA, underB, reason });
    }
  }
  return out;
}
