/**
 * Every projection the application runs (the engine keeps one current instance of each, rebuilds a new
 * version beside the old one, and serves them in /projections and /metrics). Add yours here, one line each.
 */
import { banditSessions } from '../../projections/bandit/bandit-sessions.js';
import { lessonEffects } from '../../projections/effects/lesson-effects.js';
import { injectionGate } from '../../projections/injection-gate/gate-observations.js';
import { changeTimeline } from '../../projections/domain-changes/change-timeline.js';
import { evalRuns } from '../../projections/eval/eval-runs.js';
import { experimentOutcomes } from '../../projections/experiments/experiment-outcomes.js';
import { externalChanges } from '../../projections/domain-changes/external-changes.js';
import { leaderboard } from '../../projections/eval/leaderboard.js';
import { lessonProjections } from '../../projections/lessons/lesson-projections.js';
import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import type { AnyProjection } from '../../projections/machinery/projection.js';
import { testHistory } from '../../projections/eval/test-history.js';
import { trends } from '../../projections/eval/trends.js';

export const REGISTERED_PROJECTIONS: readonly AnyProjection[] = [
  outcomeCounts,
  evalRuns,
  externalChanges,
  ...lessonProjections,
  leaderboard,
  trends,
  testHistory,
  changeTimeline,
  experimentOutcomes,
  banditSessions,
  lessonEffects,
  injectionGate,
];
