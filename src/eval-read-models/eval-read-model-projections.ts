import { leaderboard } from '../../projections/leaderboard.js';
import { testHistory } from '../../projections/test-history.js';
import { trends } from '../../projections/trends.js';

/** The projections behind this module's queries: the projection engine must run them (register them with it). */
export const EVAL_READ_MODEL_PROJECTIONS = [leaderboard, trends, testHistory] as const;
