/**
 * Thompson-sampling posteriors, folded from the bandit's events (pure, no I/O). A selection
 * (`LessonArmsSampled`) opens a session; its first reward (`SessionRewardObserved`) closes it and moves the
 * arms of the lessons it selected: alpha += w r, beta += w (1 - r), w the salience weight. Discounted TS: at
 * every reward every arm's evidence is multiplied by gamma, applied lazily (gamma^(steps since the arm's last
 * update)) so a reward touches only the arms it moves. Each selected lesson moves its global arm and its
 * per-model and per-category arms; selection reads a contextual arm only once it has `minContextCount`
 * rewards. The same fold, in the same order, gives the same numbers bit for bit.
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import type { SessionRewardObservedData, LessonArmsSampledData, SamplingContext } from '../../contracts/bandit.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { BanditRules } from './bandit-rules.js';

export const POSTERIOR_EVENT_TYPES = ['LessonArmsSampled', 'SessionRewardObserved'] as const;

/** What the fold reads of a recorded event. */
export type PosteriorEvent = Pick<RecordedEvent, 'eventId' | 'type' | 'data' | 'globalPosition'>;

export interface ArmState {
  /** Discounted rewards and failures as of `step`. */
  successes: number;
  failures: number;
  /** Rewards that moved it (undiscounted count). */
  n: number;
  /** The reward step of its last update (for lazy decay). */
  step: number;
}

export interface OpenSession {
  lessonIds: string[];
  context: { model?: string; category?: string };
  sampledEventId: string;
  sampledGlobalPosition: string;
}

export interface PosteriorState {
  /** Rewards applied so far (the discount clock). */
  step: number;
  /** Selections waiting for their reward. */
  sessions: Record<string, OpenSession>;
  arms: Record<string, ArmState>;
}

export interface PosteriorSummary {
  armKey: string;
  alpha: number;
  beta: number;
  mean: number;
  /** Central credible interval of mass `credibleLevel`. */
  lower: number;
  upper: number;
  n: number;
}

/** What one reward did to one lesson (its global arm): the audit's and the policy's evidence. */
export interface ArmMove {
  lessonId: string;
  weight: number;
  reward: number;
  sessionId: string;
}

export function emptyPosteriorState(): PosteriorState {
  return { step: 0, sessions: {}, arms: {} };
}

export function globalArmKey(lessonId: string): string {
  return lessonId;
}

export function contextArmKeys(lessonId: string, context: { model?: string | undefined; category?: string | undefined }): string[] {
  const keys: string[] = [];
  if (context.model) keys.push(`${lessonId}|model=${context.model}`);
  if (context.category) keys.push(`${lessonId}|category=${context.category}`);
  return keys;
}

/**
 * Folds one event (mutating `state`); returns the lessons a reward moved (empty for anything else).
 * `step`: the discount clock after this reward when the caller folds only part of the log (one lesson's
 * sessions) and knows the reward's rank among all rewards; by default the clock counts the rewards folded.
 */
export function applyPosteriorEvent(state: PosteriorState, event: PosteriorEvent, rules: BanditRules, step?: number): ArmMove[] {
  if (event.type === 'LessonArmsSampled') {
    const data = event.data as LessonArmsSampledData;
    state.sessions[data.sessionId] = {
      lessonIds: [...data.selected],
      context: pickContext(data.context),
      sampledEventId: event.eventId,
      sampledGlobalPosition: event.globalPosition.toString(),
    };
    return [];
  }
  if (event.type !== 'SessionRewardObserved') return [];
  const data = event.data as SessionRewardObservedData;
  const session = state.sessions[data.sessionId];
  // A reward without an open selection (none, or already rewarded) moves nothing.
  if (!session) return [];
  delete state.sessions[data.sessionId];
  state.step = step ?? state.step + 1;
  const moves: ArmMove[] = [];
  for (const lessonId of session.lessonIds) {
    const weight = rewardWeight(rules, data, lessonId);
    if (weight <= 0) continue;
    for (const key of [globalArmKey(lessonId), ...contextArmKeys(lessonId, session.context)]) {
      const arm = decayed(state.arms[key], state.step, rules.gamma);
      arm.successes += weight * data.reward;
      arm.failures += weight * (1 - data.reward);
      arm.n += 1;
      state.arms[key] = arm;
    }
    moves.push({ lessonId, weight, reward: data.reward, sessionId: data.sessionId });
  }
  return moves;
}

/** Reward event id -> the discount clock after it (its rank among every reward of the log that moved a posterior). */
export type RewardSteps = ReadonlyMap<string, number>;

export function foldPosteriors(events: readonly PosteriorEvent[], rules: BanditRules, state = emptyPosteriorState(), steps?: RewardSteps): PosteriorState {
  for (const event of events) applyPosteriorEvent(state, event, rules, steps?.get(event.eventId));
  return state;
}

function pickContext(context: SamplingContext): OpenSession['context'] {
  return { ...(context.model ? { model: context.model } : {}), ...(context.category ? { category: context.category } : {}) };
}

function rewardWeight(rules: BanditRules, data: SessionRewardObservedData, lessonId: string): number {
  if (!rules.salienceWeighting || !data.salience) return 1;
  return Math.min(1, data.salience[lessonId] ?? 0);
}

/** A copy of the arm with its evidence discounted up to `step`. */
function decayed(arm: ArmState | undefined, step: number, gamma: number): ArmState {
  if (!arm) return { successes: 0, failures: 0, n: 0, step };
  const factor = gamma === 1 ? 1 : Math.pow(gamma, step - arm.step);
  return { successes: arm.successes * factor, failures: arm.failures * factor, n: arm.n, step };
}

/** One arm's alpha and beta now (discounted to the state's step), without its interval: what a draw needs. */
export function armAlphaBeta(state: PosteriorState, armKey: string, rules: BanditRules): { alpha: number; beta: number; n: number } {
  const arm = decayed(state.arms[armKey], state.step, rules.gamma);
  return { alpha: rules.priorAlpha + arm.successes, beta: rules.priorBeta + arm.failures, n: arm.n };
}

/** The posterior of one arm now (discounted to the state's step); the prior when it has no evidence. */
export function summarizeArm(state: PosteriorState, armKey: string, rules: BanditRules): PosteriorSummary {
  const arm = decayed(state.arms[armKey], state.step, rules.gamma);
  const alpha = rules.priorAlpha + arm.successes;
  const beta = rules.priorBeta + arm.failures;
  const tail = (1 - rules.credibleLevel) / 2;
  return {
    armKey,
    alpha,
    beta,
    mean: alpha / (alpha + beta),
    lower: betaQuantile(tail, alpha, beta),
    upper: betaQuantile(1 - tail, alpha, beta),
    n: arm.n,
  };
}

/** The arm a selection draws from: the most specific context arm with enough rewards, else the global one. */
export function armForSelection(
  state: PosteriorState,
  lessonId: string,
  context: { model?: string | undefined; category?: string | undefined },
  rules: BanditRules,
): string {
  for (const key of contextArmKeys(lessonId, context)) {
    if ((state.arms[key]?.n ?? 0) >= rules.minContextCount) return key;
  }
  return globalArmKey(lessonId);
}

/** Every arm of one lesson: the global one first, then its contexts by key. */
export function lessonArms(state: PosteriorState, lessonId: string, rules: BanditRules): PosteriorSummary[] {
  const global = summarizeArm(state, globalArmKey(lessonId), rules);
  const contexts = Object.keys(state.arms)
    .filter((key) => key.startsWith(`${lessonId}|`))
    .sort()
    .map((key) => summarizeArm(state, key, rules));
  return [global, ...contexts];
}
