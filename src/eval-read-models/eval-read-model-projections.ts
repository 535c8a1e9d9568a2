import { leaderboard } from '../../projections/eval/leaderboard.js';
import { testHistory } from '../../projections/eval/test-history.js';
import { trends } from '../../projections/eval/trends.js';

/** The projections behind this module's queries: the projection engine must run them (register them with it). */
export const EVAL_READ_MODEL_PROJECTIONS = [leaderboard, trends, testHistory] as const;
