/**
 * What the lifecycle policy folds from the log (pure): the posteriors, a compact view of every lesson, the
 * evidence events behind each lesson's global arm, and the outbox of decisions taken but not yet seen in the
 * log. A decision is taken on the reward that crosses a threshold; the policy updates its own view of the
 * lesson at once, so later rewards never take it again. Its event id is derived from (rule set, version,
 * lesson, rule, triggering event): the same events always give the same decisions with the same ids.
 */
import type { LessonFlaggedForMutationData } from '../../../contracts/bandit.js';
import type { RecordedEvent } from '../../../contracts/envelope.js';
import { LESSON_CONTENT_EVENT_TYPES } from '../../../contracts/lesson.js';
import type { Evidence } from '../../../contracts/evidence.js';
import { deterministicEventId } from '../../../contracts/event-id.js';
import type {
  LessonCreatedData,
  LessonDeletedData,
  LessonEditedData,
  LessonMatchChangedData,
  LessonMutatedData,
  LessonStatusChangedData,
  LessonStatus,
} from '../../../contracts/lesson.js';
import type { BanditRules } from '../../../projections/bandit/bandit-rules.js';
import { applyPosteriorEvent, emptyPosteriorState, globalArmKey, POSTERIOR_EVENT_TYPES, summarizeArm, type PosteriorState } from '../../../projections/bandit/posterior.js';
import type { ChangeLessonMatch, ChangeLessonStatus } from '../../lessons/domain/lesson-commands.js';
import { lessonSections } from '../../lessons/domain/lesson-sections.js';
import { decidePolicy, detectionKeywords, type PolicyLessonView, type PolicyRuleName } from './decide-policy.js';

export const POLICY_EVENT_TYPES = [
  ...POSTERIOR_EVENT_TYPES,
  ...LESSON_CONTENT_EVENT_TYPES,
  'LessonFlaggedForMutation',
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
  evidenceFrom?: { upTo: { commit: string; prepare: string }; salienceWeighting: boolean };
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
  outbox: PolicyDecision[];
}

export function emptyPolicyState(keepEvidence = true): PolicyState {
  return { posterior: emptyPosteriorState(), lessons: {}, ...(keepEvidence ? { evidence: {} } : {}), outbox: [] };
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
    outbox: [...state.outbox],
  };
}

/** The lesson's view, replaced by a copy its caller may change. */
function ownLesson(state: PolicyState, lessonId: string): PolicyLessonView | undefined {
  const lesson = state.lessons[lessonId];
  if (!lesson) return undefined;
  const own: PolicyLessonView = {
    ...lesson,
    keywords: [...lesson.keywords],
    detectionKeywords: [...lesson.detectionKeywords],
    ...(lesson.mutationFlags ? { mutationFlags: [...lesson.mutationFlags] } : {}),
  };
  state.lessons[lessonId] = own;
  return own;
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
      decisions.push(...decideFor(state, move.lessonId, event, rules));
    }
    state.outbox.push(...decisions);
    return decisions;
  }
  applyLessonEvent(state, event, rules);
  return [];
}

function decideFor(state: PolicyState, lessonId: string, trigger: RecordedEvent, rules: BanditRules): PolicyDecision[] {
  if (!state.lessons[lessonId]) return [];
  const posterior = summarizeArm(state.posterior, globalArmKey(lessonId), rules);
  const verdicts = decidePolicy(state.lessons[lessonId]!, posterior, rules);
  if (verdicts.length === 0) return [];
  const lesson = ownLesson(state, lessonId)!;
  const evidenceEvents = state.evidence?.[lessonId] ?? { eventIds: [], globalPositions: [] };
  const evidenceFrom = state.evidence
    ? {}
    : { evidenceFrom: { upTo: { commit: trigger.position.commit.toString(), prepare: trigger.position.prepare.toString() }, salienceWeighting: rules.salienceWeighting } };
  return verdicts.map((verdict) => {
    const evidence: Evidence = {
      numbers: verdict.numbers,
      eventIds: [...evidenceEvents.eventIds],
      globalPositions: [...evidenceEvents.globalPositions],
      rule: verdict.rule,
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

function applyLessonEvent(state: PolicyState, event: RecordedEvent, rules: BanditRules): void {
  switch (event.type) {
    case 'LessonCreated': {
      const data = event.data as LessonCreatedData;
      state.lessons[data.lessonId] = {
        status: data.status,
        category: data.category,
        hasConfoundNote: Boolean(data.confoundNote),
        flaggedExempt: Boolean(data.extraFrontmatter?.[rules.exemptFlag]),
        keywords: [...data.match.keywords],
        detectionKeywords: detectionKeywords(lessonSections(data.body).detection),
      };
      return;
    }
    case 'LessonMutated': {
      const data = event.data as LessonMutatedData;
      const parent = state.lessons[data.parentLessonId];
      state.lessons[data.lessonId] = {
        status: (data.status ?? 'draft') as LessonStatus,
        category: data.category ?? parent?.category ?? 'uncategorised',
        hasConfoundNote: false,
        flaggedExempt: false,
        keywords: [...data.match.keywords],
        detectionKeywords: detectionKeywords(lessonSections(data.body).detection),
      };
      return;
    }
    case 'LessonEdited': {
      const data = event.data as LessonEditedData;
      const lesson = ownLesson(state, data.lessonId);
      if (!lesson) return;
      const { changes } = data;
      if (changes.category) lesson.category = changes.category.to;
      if (changes.confoundNote) lesson.hasConfoundNote = changes.confoundNote.to !== null;
      if (changes.extraFrontmatter) lesson.flaggedExempt = Boolean(changes.extraFrontmatter.to?.[rules.exemptFlag]);
      if (changes.body) lesson.detectionKeywords = detectionKeywords(lessonSections(changes.body.to).detection);
      return;
    }
    case 'LessonMatchChanged': {
      const data = event.data as LessonMatchChangedData;
      const lesson = ownLesson(state, data.lessonId);
      if (!lesson) return;
      const kept = lesson.keywords.filter((k) => !data.removed.keywords.includes(k));
      lesson.keywords = [...kept, ...data.added.keywords.filter((k) => !kept.includes(k))];
      return;
    }
    case 'LessonStatusChanged': {
      const data = event.data as LessonStatusChangedData;
      const lesson = ownLesson(state, data.lessonId);
      if (lesson) lesson.status = data.to;
      return;
    }
    case 'LessonDeleted': {
      delete state.lessons[(event.data as LessonDeletedData).lessonId];
      return;
    }
    case 'LessonFlaggedForMutation': {
      // A flag recorded under this rule set version counts as taken (also when this fold did not take it
      // itself). Another version's flag does not: each version decides its own flag once (its id says so),
      // whether that version's trigger comes before or after the other version's flag in the log.
      const data = event.data as LessonFlaggedForMutationData;
      const known = state.lessons[data.lessonId];
      if (!known || data.ruleSetId !== rules.ruleSetId || data.ruleSetVersion !== rules.ruleSetVersion) return;
      if ((known.mutationFlags ?? []).includes(data.reason)) return;
      const lesson = ownLesson(state, data.lessonId)!;
      (lesson.mutationFlags ??= []).push(data.reason);
      return;
    }
  }
}

export function foldPolicy(events: readonly RecordedEvent[], rules: BanditRules, state = emptyPolicyState()): PolicyState {
  for (const event of events) applyPolicyEvent(state, event, rules);
  return state;
}
