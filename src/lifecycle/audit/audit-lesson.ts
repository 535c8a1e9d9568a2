/**
 * "Why was this lesson archived?" from the log alone (pure). For every status change of the lesson: the
 * decision, who decided (human: actor and reason; policy: rule, rule set id/version and its parameters),
 * the posterior trajectory of the lesson's global arm up to it (recomputed under the rules the decision
 * cites), the selections and rewards that moved it and the eval outcomes behind those rewards, the evidence
 * events the decision names (each checked against the log), and the lesson's edits before it. The policy's
 * flags for mutation get the same chain (rule, numbers, evidence events, trajectory, eval outcomes, edits).
 */
import type { LessonArmsSampledData, LessonFlaggedForMutationData, RewardOutcome, SessionRewardObservedData } from '../../../contracts/bandit.js';
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { LessonMatchChangedData, LessonStatusChangedData } from '../../../contracts/lesson.js';
import { DEFAULT_POLICY_RULE_SET_ID, type BanditRules } from '../../../projections/bandit/bandit-rules.js';
import { applyPosteriorEvent, emptyPosteriorState, globalArmKey, summarizeArm, type PosteriorSummary, type RewardSteps } from '../../../projections/bandit/posterior.js';
import { LESSON_STREAM_PREFIX } from '../../lessons/domain/lesson-stream.js';
import { ruleSetAtVersion } from '../../rule-sets/rule-set-versions.js';
import { rulesOf } from '../policy/policy-rule-sets.js';

export interface EventRef {
  eventId: string;
  globalPosition: string;
  type: string;
  occurredAt: string;
}

/** A reward that moved the lesson's global arm, with the posterior after it (armKey aside). */
export interface TrajectoryPoint extends Omit<PosteriorSummary, 'armKey'> {
  /** The reward that moved the posterior. */
  rewardEventId: string;
  selectionEventId: string;
  globalPosition: string;
  occurredAt: string;
  sessionId: string;
  reward: number;
  theta: number | null;
  evalOutcomeIds: string[];
  /** The eval outcomes that defined the reward (ids, global positions, passed/infra); empty for a numeric reward. */
  evalOutcomes: RewardOutcome[];
}

export interface StatusChangeAudit {
  decision: EventRef & {
    from: string;
    to: string;
    reason: string;
    decidedBy: 'human' | 'policy';
    actor: string | null;
    source: string;
  };
  rule: {
    name: string | null;
    ruleSetId: string;
    ruleSetVersion: number;
    parameters: BanditRules;
    /** The RuleSetDefined event of that version; null for the built-in defaults. */
    definedBy: EventRef | null;
  } | null;
  evidence: {
    numbers: Record<string, number>;
    /** The effect estimator of a decision on effect (the outcomes it counted are the events); absent: the reward posterior. */
    estimator?: string;
    events: (EventRef & { found: boolean })[];
  } | null;
  trajectory: TrajectoryPoint[];
  evalOutcomeIds: string[];
  /** Every eval outcome behind the rewards of the trajectory, once each, in trajectory order. */
  evalOutcomes: RewardOutcome[];
  editsBefore: LessonEditRef[];
}

/** A change of the lesson itself (creation, edit, match change, ...) that came before a decision. */
export type LessonEditRef = EventRef & { actor: string | null; reason: string | null };

/** A policy flag for mutation: the rule, its rule set, the numbers, the evidence events, the trajectory and the lesson's edits up to it. */
export interface MutationFlagAudit {
  decision: EventRef & { reason: string; explanation: string; actor: string | null };
  rule: { name: string | null; ruleSetId: string; ruleSetVersion: number; parameters: BanditRules; definedBy: EventRef | null };
  evidence: { numbers: Record<string, number>; events: (EventRef & { found: boolean })[] };
  trajectory: TrajectoryPoint[];
  evalOutcomes: RewardOutcome[];
  editsBefore: LessonEditRef[];
}

export interface LessonAudit {
  lessonId: string;
  statusChanges: StatusChangeAudit[];
  mutationFlags: MutationFlagAudit[];
  /** Policy keyword changes, with their evidence numbers. */
  policyMatchChanges: (EventRef & { added: string[]; reason: string | null; rule: string | null })[];
}

const ref = (event: RecordedEvent): EventRef => ({
  eventId: event.eventId,
  globalPosition: event.globalPosition.toString(),
  type: event.type,
  occurredAt: event.metadata.occurredAt,
});

function evidenceEvents(byId: Map<string, RecordedEvent>, evidence: { eventIds: string[]; globalPositions: string[] }) {
  return evidence.eventIds.map((id, i) => {
    const found = byId.get(id);
    return found
      ? { ...ref(found), found: true }
      : { eventId: id, globalPosition: evidence.globalPositions[i] ?? '', type: 'unknown', occurredAt: '', found: false };
  });
}

const outcomesOf = (trajectory: TrajectoryPoint[]) => [...new Map(trajectory.flatMap((p) => p.evalOutcomes).map((o) => [o.eventId, o])).values()];

/** The lesson's own changes before `decision`: every lesson event except status changes and flags. */
function editsBefore(lessonEvents: readonly RecordedEvent[], decision: RecordedEvent): LessonEditRef[] {
  return lessonEvents
    .filter((e) => e.globalPosition < decision.globalPosition && e.type !== 'LessonStatusChanged' && e.type !== 'LessonFlaggedForMutation')
    .map((e) => ({ ...ref(e), actor: e.metadata.actor ?? null, reason: (e.data as { reason?: string }).reason ?? null }));
}

function rulesForDecision(events: readonly RecordedEvent[], ruleSetId: string | undefined, version: number | undefined) {
  const id = ruleSetId ?? DEFAULT_POLICY_RULE_SET_ID;
  const v = version ?? 1;
  if (id === DEFAULT_POLICY_RULE_SET_ID) return { rules: rulesOf(null), definedBy: null };
  const found = ruleSetAtVersion(events, id, v);
  return { rules: rulesOf(found?.version ?? null), definedBy: found ? ref(found.event) : null };
}

/**
 * The lesson's global-arm trajectory over `events` (in log order), up to and excluding `until`. `steps`: the
 * discount clock per reward when `events` are only the lesson's sessions (see applyPosteriorEvent).
 */
export function posteriorTrajectory(events: readonly RecordedEvent[], lessonId: string, rules: BanditRules, until?: bigint, steps?: RewardSteps): TrajectoryPoint[] {
  const state = emptyPosteriorState();
  const points: TrajectoryPoint[] = [];
  const selections = new Map<string, RecordedEvent>();
  for (const event of events) {
    if (until !== undefined && event.globalPosition >= until) break;
    if (event.type === 'LessonArmsSampled') selections.set((event.data as LessonArmsSampledData).sessionId, event);
    const moves = applyPosteriorEvent(state, event, rules, steps?.get(event.eventId));
    if (!moves.some((m) => m.lessonId === lessonId)) continue;
    const reward = event.data as SessionRewardObservedData;
    const selection = selections.get(reward.sessionId)!;
    const theta = (selection.data as LessonArmsSampledData).candidates.find((c) => c.lessonId === lessonId)?.theta ?? null;
    const summary = summarizeArm(state, globalArmKey(lessonId), rules);
    points.push({
      rewardEventId: event.eventId,
      selectionEventId: selection.eventId,
      globalPosition: event.globalPosition.toString(),
      occurredAt: event.metadata.occurredAt,
      sessionId: reward.sessionId,
      reward: reward.reward,
      theta,
      evalOutcomeIds: reward.evalOutcomeIds ?? [],
      evalOutcomes: reward.fromOutcomes?.outcomes ?? [],
      alpha: summary.alpha,
      beta: summary.beta,
      mean: summary.mean,
      lower: summary.lower,
      upper: summary.upper,
      n: summary.n,
    });
  }
  return points;
}

export function auditLesson(events: readonly RecordedEvent[], lessonId: string, steps?: RewardSteps): LessonAudit {
  const stream = `${LESSON_STREAM_PREFIX}${lessonId}`;
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const lessonEvents = events.filter((e) => e.streamId === stream || (e.data as { lessonId?: string } | null)?.lessonId === lessonId);
  const statusChanges: StatusChangeAudit[] = [];
  const mutationFlags: MutationFlagAudit[] = [];
  const policyMatchChanges: LessonAudit['policyMatchChanges'] = [];
  for (const event of lessonEvents) {
    if (event.type === 'LessonFlaggedForMutation') {
      const data = event.data as LessonFlaggedForMutationData;
      const { rules, definedBy } = rulesForDecision(events, data.ruleSetId, data.ruleSetVersion);
      const trajectory = posteriorTrajectory(events, lessonId, rules, event.globalPosition, steps);
      mutationFlags.push({
        decision: { ...ref(event), reason: data.reason, explanation: data.explanation, actor: event.metadata.actor ?? null },
        rule: { name: data.evidence.rule ?? null, ruleSetId: rules.ruleSetId, ruleSetVersion: rules.ruleSetVersion, parameters: rules, definedBy },
        evidence: { numbers: data.evidence.numbers, events: evidenceEvents(byId, data.evidence) },
        trajectory,
        evalOutcomes: outcomesOf(trajectory),
        editsBefore: editsBefore(lessonEvents, event),
      });
      continue;
    }
    if (event.type === 'LessonMatchChanged') {
      const data = event.data as LessonMatchChangedData;
      if (data.decidedBy === 'policy') {
        policyMatchChanges.push({ ...ref(event), added: data.added.keywords, reason: data.reason ?? null, rule: data.evidence?.rule ?? null });
      }
      continue;
    }
    if (event.type !== 'LessonStatusChanged') continue;
    const data = event.data as LessonStatusChangedData;
    const { rules, definedBy } = rulesForDecision(events, data.ruleSetId, data.ruleSetVersion);
    const trajectory = posteriorTrajectory(events, lessonId, rules, event.globalPosition, steps);
    statusChanges.push({
      decision: {
        ...ref(event),
        from: data.from,
        to: data.to,
        reason: data.reason,
        decidedBy: data.decidedBy,
        actor: event.metadata.actor ?? null,
        source: event.metadata.source,
      },
      rule:
        data.decidedBy === 'policy'
          ? { name: data.evidence?.rule ?? null, ruleSetId: rules.ruleSetId, ruleSetVersion: rules.ruleSetVersion, parameters: rules, definedBy }
          : null,
      evidence: data.evidence
        ? { numbers: data.evidence.numbers, ...(data.evidence.estimator ? { estimator: data.evidence.estimator } : {}), events: evidenceEvents(byId, data.evidence) }
        : null,
      trajectory,
      evalOutcomeIds: [...new Set(trajectory.flatMap((p) => p.evalOutcomeIds))],
      evalOutcomes: outcomesOf(trajectory),
      editsBefore: editsBefore(lessonEvents, event),
    });
  }
  return { lessonId, statusChanges, mutationFlags, policyMatchChanges };
}
