/**
 * Every projection the application runs (the engine keeps one current instance of each, rebuilds a new
 * version beside the old one, and serves them in /projections and /metrics). Add yours here, one line each.
 */
import { banditSessions } from '../../projections/bandit-sessions.js';
import { changeTimeline } from '../../projections/change-timeline.js';
import { evalRuns } from '../../projections/eval-runs.js';
import { experimentOutcomes } from '../../projections/experiment-outcomes.js';
import { externalChanges } from '../../projections/external-changes.js';
import { leaderboard } from '../../projections/leaderboard.js';
import { lessonProjections } from '../../projections/lesson-projections.js';
import { outcomeCounts } from '../../projections/outcome-counts.js';
import type { AnyProjection } from '../../projections/projection.js';
import { testHistory } from '../../projections/test-history.js';
import { trends } from '../../projections/trends.js';

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
];
