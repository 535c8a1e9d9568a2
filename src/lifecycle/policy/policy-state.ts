/**
 * What the lifecycle policy folds from the log (pure): the posteriors, a compact view of every lesson, the
 * evidence events behind each lesson's global arm, and the outbox of decisions taken but not yet seen in the
 * log. A decision is taken on the reward (or, deciding on effect, the exposure: effect-decisions.ts) that crosses a threshold; the policy updates its own view of the
 * lesson at once, so later rewards never take it again. Its event id is derived from (rule set, version,
 * lesson, rule, triggering event): the same events always give the same decisions with the same ids.
 */
import type { LessonFlaggedForMutationData } from '../../../contracts/bandit.js';
import type { RecordedEvent } from '../../../contracts/envelope.js';
import { LESSON_CONTENT_EVENT_TYPES } from '../../../contracts/lesson.js';
import type { Evidence } from '../../../contracts/evidence.js';
import { deterministicEventId } from '../../../contracts/event-id.js';
import type { BanditRules } from '../../../projections/bandit/bandit-rules.js';
import { applyPosteriorEvent, emptyPosteriorState, globalArmKey, POSTERIOR_EVENT_TYPES, summarizeArm, type PosteriorState } from '../../../projections/bandit/posterior.js';
import type { ChangeLessonMatch, ChangeLessonStatus } from '../../lessons/domain/lesson-commands.js';
import { decidePolicy, type PolicyLessonView, type PolicyRuleName, type PolicyVerdict } from './decide-policy.js';
import { applyLessonEvent, ownLesson } from './policy-lesson-view.js';
import { countedLessons, decideOnEffect, exposureStratum, summarizeEffect, withOutcome, type EffectBasis, type EffectCounts } from './effect-decisions.js';

export const POLICY_EVENT_TYPES = [
  ...POSTERIOR_EVENT_TYPES,
  ...LESSON_CONTENT_EVENT_TYPES,
  'LessonFlaggedForMutation',
  'LessonExposureRecorded',
] as const;

/** The policy's flag decision: appended as LessonFlaggedForMutation to the lesson's flag stream. */
export interface FlagForMutation {
  kind: 'flag-mutation';
  ruleSetId: string;
  evidence: Evidence;
  data: LessonFlaggedForMutationData;
}

export type PolicyCommand = ChangeLessonStatus | ChangeLessonMatch | FlagForMutation;

export interface PolicyDecision {
  eventId: string;
  lessonId: string;
  kind: 'archive' | 'promote' | 'expand-keywords' | 'flag-mutation';
  rule: PolicyRuleName;
  triggeringEventId: string;
  triggeringGlobalPosition: string;
  /** World time of the triggering event: the decision's occurredAt, so a replay gives the same event. */
  occurredAt: string;
  command: PolicyCommand;
  /**
   * Set when the fold kept no evidence lists (the projection's document): the dispatcher fills the evidence's
   * event ids and global positions from the lesson's sessions up to the trigger (decision-evidence.ts), the
   * same lists a fold keeping them gives.
   */
  evidenceFrom?: { upTo: { commit: string; prepare: string }; salienceWeighting: boolean; effect?: EffectBasis };
}

interface LessonEvidence {
  eventIds: string[];
  globalPositions: string[];
}

export interface PolicyState {
  posterior: PosteriorState;
  lessons: Record<string, PolicyLessonView>;
  /**
   * The evidence lists per lesson, grown by every reward: kept by in-memory folds (audit, counterfactual,
   * compare); absent in the projection's document, whose size must not grow with the history.
   */
  evidence?: Record<string, LessonEvidence>;
  /** Deciding on effect: each lesson's exposure counts (effect-decisions.ts); the outcomes, in in-memory folds only. */
  effects: Record<string, EffectCounts>;
  effectEvidence?: Record<string, LessonEvidence>;
  outbox: PolicyDecision[];
}

export function emptyPolicyState(keepEvidence = true): PolicyState {
  return { posterior: emptyPosteriorState(), lessons: {}, ...(keepEvidence ? { evidence: {}, effectEvidence: {} } : {}), effects: {}, outbox: [] };
}

/**
 * A copy to fold one event into, leaving `state` as it was: the maps are copied, their entries shared, and
 * applyPolicyEvent replaces an entry instead of changing it. Costs the number of lessons, arms and open
 * sessions, never the history (evidence lists, when kept, are copied too: in-memory folds only).
 */
export function copyForEvent(state: PolicyState): PolicyState {
  const { posterior } = state;
  return {
    posterior: { step: posterior.step, sessions: { ...posterior.sessions }, arms: { ...posterior.arms } },
    lessons: { ...state.lessons },
    ...(state.evidence ? { evidence: structuredClone(state.evidence) } : {}),
    ...(state.effectEvidence ? { effectEvidence: structuredClone(state.effectEvidence) } : {}),
    effects: { ...state.effects },
    outbox: [...state.outbox],
  };
}

export function decisionEventId(rules: BanditRules, lessonId: string, rule: PolicyRuleName, triggeringEventId: string): string {
  return deterministicEventId('LifecyclePolicyDecision', rules.ruleSetId, rules.ruleSetVersion, lessonId, rule, triggeringEventId);
}

/** A flag is decided once per (lesson, reason, rule set id and version): its id does not depend on the trigger. */
export function mutationFlagEventId(rules: BanditRules, lessonId: string, reason: string): string {
  return deterministicEventId('LessonFlaggedForMutation', rules.ruleSetId, rules.ruleSetVersion, lessonId, reason);
}

/** Folds one event into `state` (mutated); returns the decisions it took. `step`: see applyPosteriorEvent. */
export function applyPolicyEvent(state: PolicyState, event: RecordedEvent, rules: BanditRules, step?: number): PolicyDecision[] {
  // The decision's own event settles its outbox entry; so does a change of the lesson by anyone else
  // (a human, another rule set), which the aggregate would refuse the decision against anyway.
  settleOutbox(state, event);
  if (event.type === 'LessonArmsSampled' || event.type === 'SessionRewardObserved') {
    const session = event.type === 'SessionRewardObserved' ? state.posterior.sessions[(event.data as { sessionId: string }).sessionId] : undefined;
    const moves = applyPosteriorEvent(state.posterior, event, rules, step);
    const decisions: PolicyDecision[] = [];
    for (const move of moves) {
      if (state.evidence) {
        const evidence = (state.evidence[move.lessonId] ??= { eventIds: [], globalPositions: [] });
        evidence.eventIds.push(session!.sampledEventId, event.eventId);
        evidence.globalPositions.push(session!.sampledGlobalPosition, event.globalPosition.toString());
      }
      if (rules.policyDecidesOn === 'reward') decisions.push(...decideFor(state, move.lessonId, event, rules));
    }
    state.outbox.push(...decisions);
    return decisions;
  }
  if (event.type === 'LessonExposureRecorded') {
    const decisions = rules.policyDecidesOn === 'reward' ? [] : applyExposure(state, event, rules, rules.policyDecidesOn);
    state.outbox.push(...decisions);
    return decisions;
  }
  applyLessonEvent(state, event, rules);
  return [];
}

/** Counts the exposure in and decides for each lesson it counts for. */
function applyExposure(state: PolicyState, event: RecordedEvent, rules: BanditRules, basis: EffectBasis): PolicyDecision[] {
  const stratum = exposureStratum(event);
  const { outcome } = event.data as { outcome: { eventId: string; globalPosition: string; passed: boolean } };
  const decisions: PolicyDecision[] = [];
  for (const [lessonId, treated] of countedLessons(event, basis)) {
    state.effects[lessonId] = withOutcome(state.effects[lessonId], stratum, treated, outcome.passed);
    if (state.effectEvidence) {
      const lists = (state.effectEvidence[lessonId] ??= { eventIds: [], globalPositions: [] });
      lists.eventIds.push(outcome.eventId);
      lists.globalPositions.push(outcome.globalPosition);
    }
    const lesson = state.lessons[lessonId];
    if (!lesson) continue;
    const verdicts = decideOnEffect(lesson, summarizeEffect(state.effects[lessonId], basis, rules.policyEffectLevel), basis, rules);
    decisions.push(...decisionsOf(state, lessonId, event, rules, verdicts, basis));
  }
  return decisions;
}

function decideFor(state: PolicyState, lessonId: string, trigger: RecordedEvent, rules: BanditRules): PolicyDecision[] {
  if (!state.lessons[lessonId]) return [];
  const posterior = summarizeArm(state.posterior, globalArmKey(lessonId), rules);
  return decisionsOf(state, lessonId, trigger, rules, decidePolicy(state.lessons[lessonId]!, posterior, rules));
}

/** The verdicts as decisions (the policy's view of the lesson updated at once), with their evidence. */
function decisionsOf(state: PolicyState, lessonId: string, trigger: RecordedEvent, rules: BanditRules, verdicts: PolicyVerdict[], effect?: EffectBasis): PolicyDecision[] {
  if (verdicts.length === 0) return [];
  const lesson = ownLesson(state, lessonId)!;
  const kept = effect ? state.effectEvidence : state.evidence;
  const evidenceEvents = kept?.[lessonId] ?? { eventIds: [], globalPositions: [] };
  const upTo = { commit: trigger.position.commit.toString(), prepare: trigger.position.prepare.toString() };
  const evidenceFrom = kept ? {} : { evidenceFrom: { upTo, salienceWeighting: rules.salienceWeighting, ...(effect ? { effect } : {}) } };
  return verdicts.map((verdict) => {
    const evidence: Evidence = {
      numbers: verdict.numbers,
      eventIds: [...evidenceEvents.eventIds],
      globalPositions: [...evidenceEvents.globalPositions],
      rule: verdict.rule,
      ...(effect ? { estimator: effect } : {}),
    };
    const policyRef = { decidedBy: 'policy' as const, ruleSetId: rules.ruleSetId, evidence };
    let command: PolicyCommand;
    // The policy acts on its own decision at once (the event reaches the log later).
    if (verdict.kind === 'flag-mutation') {
      command = {
        kind: 'flag-mutation',
        ruleSetId: rules.ruleSetId,
        evidence,
        data: { lessonId, reason: verdict.flag, explanation: verdict.reason, decidedBy: 'policy', ruleSetId: rules.ruleSetId, ruleSetVersion: rules.ruleSetVersion, evidence },
      };
      (lesson.mutationFlags ??= []).push(verdict.flag);
    } else if (verdict.kind === 'expand-keywords') {
      command = { kind: 'change-match', add: { keywords: verdict.keywords }, reason: verdict.reason, ...policyRef };
      lesson.keywords.push(...verdict.keywords);
    } else {
      command = { kind: 'change-status', to: verdict.to, reason: verdict.reason, ruleSetVersion: rules.ruleSetVersion, ...policyRef };
      lesson.status = verdict.to;
    }
    return {
      eventId: verdict.kind === 'flag-mutation' ? mutationFlagEventId(rules, lessonId, verdict.flag) : decisionEventId(rules, lessonId, verdict.rule, trigger.eventId),
      lessonId,
      kind: verdict.kind,
      rule: verdict.rule,
      triggeringEventId: trigger.eventId,
      triggeringGlobalPosition: trigger.globalPosition.toString(),
      occurredAt: trigger.metadata.occurredAt,
      command,
      ...evidenceFrom,
    };
  });
}

function settleOutbox(state: PolicyState, event: RecordedEvent): void {
  if (state.outbox.length === 0) return;
  const data = event.data as { lessonId?: string; decidedBy?: string; ruleSetId?: string } | null;
  state.outbox = state.outbox.filter((decision) => {
    if (decision.eventId === event.eventId) return false;
    if (decision.lessonId !== data?.lessonId) return true;
    if (event.type === 'LessonDeleted') return false;
    // Another decision of this same policy never supersedes a pending one; anyone else's change does.
    const ours = data.decidedBy === 'policy' && data.ruleSetId === decision.command.ruleSetId;
    if (event.type === 'LessonStatusChanged') return ours || decision.command.kind !== 'change-status';
    if (event.type === 'LessonMatchChanged') return ours || decision.command.kind !== 'change-match';
    return true;
  });
}

export function foldPolicy(events: readonly RecordedEvent[], rules: BanditRules, state = emptyPolicyState()): PolicyState {
  for (const event of events) applyPolicyEvent(state, event, rules);
  return state;
}
