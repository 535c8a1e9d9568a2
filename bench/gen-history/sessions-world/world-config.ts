/**
 * A planted sessions world: lessons with true effects on pass probability, task categories whose baselines are
 * far apart, and matching that makes naive leave-one-out lie. Easy sessions match many lessons, so the top-k cap
 * leaves most of them out; hard sessions match few, so those few are nearly always injected. A lesson's injected
 * outcomes then come mostly from hard tasks and its not-injected ones from easy tasks (Simpson's paradox).
 */
import { seededRandom } from '../random.js';

export interface CategorySpec {
  name: string;
  baseline: number;
  /** How many lessons a session of this category matches (inclusive range). */
  matches: [number, number];
  share: number;
}

export interface SessionsWorldConfig {
  seed: number;
  sessions: number;
  /** Planted effects, cycled over the lessons (0 = a null lesson). */
  effects: readonly number[];
  lessons: number;
  models: readonly { name: string; offset: number }[];
  categories: readonly CategorySpec[];
  holdoutRate: number;
  topK: number;
  /** Monte Carlo draws per selection for the inclusion probabilities (0: none recorded). */
  inclusionDraws: number;
  /** Redraws per session for IPW's truth, the policy contrast (0: not computed). Needs `inclusionDraws` > 0. */
  truthDraws: number;
  /**
   * Lessons created at the same session as a model-API change (the model's pass rate shifts by `shift` from
   * then on): a time window calls each of these confounded; the randomized holdout still measures it.
   */
  confoundedInTime: { lessons: readonly number[]; atSession: number; model: string; shift: number };
  /** The IPW estimate's propensity bounds, for its estimand (default: the lesson-effects rule's). */
  propensityClip?: number;
  /** Also write each session's LessonArmsSampled, TestOutcomeRecorded and SessionRewardObserved (session-log.ts). */
  sessionLog?: boolean;
}

export const DEFAULT_SESSIONS_WORLD: SessionsWorldConfig = {
  seed: 1,
  sessions: 6000,
  effects: [0.15, -0.15, 0.2, -0.2, 0, 0],
  lessons: 48,
  models: [
    { name: 'model-a', offset: 0 },
    { name: 'model-b', offset: -0.05 },
  ],
  categories: [
    { name: 'easy', baseline: 0.75, matches: [6, 9], share: 0.45 },
    { name: 'medium', baseline: 0.5, matches: [3, 5], share: 0.2 },
    { name: 'hard', baseline: 0.2, matches: [1, 3], share: 0.35 },
  ],
  holdoutRate: 0.1,
  topK: 3,
  inclusionDraws: 0,
  truthDraws: 0,
  confoundedInTime: { lessons: [0, 1], atSession: 2000, model: 'model-b', shift: -0.15 },
};

export interface PlantedLesson {
  lessonId: string;
  plantedEffect: number;
  /** The session index from which the lesson exists (and can match). */
  createdAtSession: number;
  confoundedInTime: boolean;
}

export function plantLessons(config: SessionsWorldConfig): PlantedLesson[] {
  const random = seededRandom(config.seed * 7919 + 17);
  const confounded = new Set(config.confoundedInTime.lessons);
  return Array.from({ length: config.lessons }, (_, i) => ({
    lessonId: `lesson-${String(i).padStart(3, '0')}`,
    plantedEffect: config.effects[i % config.effects.length]!,
    createdAtSession: confounded.has(i) ? config.confoundedInTime.atSession : random.chance(0.5) ? 0 : random.int(0, Math.floor(config.sessions / 4)),
    confoundedInTime: confounded.has(i),
  }));
}

export function clipProbability(p: number): number {
  return Math.min(0.99, Math.max(0.01, p));
}
