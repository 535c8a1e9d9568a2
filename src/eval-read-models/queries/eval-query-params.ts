/** Query parameters of the eval read-model endpoints (zod; unknown parameters are refused). */
import { z } from 'zod';
import { instant, listLimit, listOffset, sortOrder } from '../../common/list-params.js';

const flag = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1' || v === '');
const positiveInt = z.coerce.number().int('must be an integer').min(1);

const paging = {
  limit: listLimit.optional(),
  /** Optional (not defaulted) so gptme trends can tell a paged request from gptme's plain report. */
  offset: listOffset.optional(),
  order: sortOrder.optional(),
};

/** Sort keys (row fields) each list accepts; anything else is a 400 naming the accepted ones. */
export const LEADERBOARD_SORT_KEYS = [
  'model', 'format', 'suite', 'tests', 'passes', 'attempts', 'pass_rate', 'wilson_lower', 'wilson_upper', 'pass_at_k',
  'infra_errors', 'cost_per_pass', 'tokens_per_pass',
] as const;
export const GPTME_LEADERBOARD_SORT_KEYS = ['model', 'format', 'total_passed', 'total_tests', 'pass_rate', 'ranking_score'] as const;
export const STAT_TRENDS_SORT_KEYS = [
  'model', 'format', 'test', 'label', 'runs', 'latest_run_at', 'baseline_pass_rate', 'recent_pass_rate', 'p_regression',
  'p_improvement', 'q_regression', 'q_improvement', 'mde_regression', 'flip_rate', 'entropy', 'infra_errors',
] as const;
export const GPTME_TRENDS_SORT_KEYS = ['model', 'test', 'pass_rate', 'total_runs', 'latest_run', 'previous_run'] as const;
export const GPTME_TREND_CATEGORIES = ['regressions', 'improvements', 'stable_pass', 'stable_fail', 'flaky'] as const;

const oneOf = (keys: readonly string[]) => `must be one of ${keys.join(', ')}`;

/** Parameters that only mean something under one mode / rule set: given under the other, a 400 (never ignored). */
function onlyUnder(p: Record<string, unknown>, names: readonly string[], where: string, ctx: z.RefinementCtx): void {
  for (const name of names) if (p[name] !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: `only with ${where}` });
}

/** `sort` checked against the keys of the mode / rules the request asked for (the field list differs). */
function checkSort(sort: string | undefined, keys: readonly string[], ctx: z.RefinementCtx): void {
  if (sort !== undefined && !keys.includes(sort)) ctx.addIssue({ code: 'custom', path: ['sort'], message: oneOf(keys) });
}

export const leaderboardParamsSchema = z.strictObject({
  mode: z.enum(['default', 'gptme']).default('default'),
  model: z.string().min(1).optional(),
  /** A tool format, or `default` for none. */
  format: z.string().min(1).optional(),
  suite: z.string().min(1).optional(),
  bySuite: flag.optional(),
  k: positiveInt.optional(),
  z: z.coerce.number().gt(0).max(10).optional(),
  minTests: positiveInt.optional(),
  /** State as of this instant (event time): outcomes before it only. */
  asOf: instant.optional(),
  /** Time window over event time, inclusive. */
  from: instant.optional(),
  /** Exclusive. */
  to: instant.optional(),
  /** A row field to sort the whole list by before paging (default: the ranking). */
  sort: z.string().min(1).optional(),
  ...paging,
}).superRefine((p, ctx) => {
  checkSort(p.sort, p.mode === 'gptme' ? GPTME_LEADERBOARD_SORT_KEYS : LEADERBOARD_SORT_KEYS, ctx);
  if (p.mode === 'gptme') onlyUnder(p, ['suite', 'bySuite', 'k', 'z', 'asOf', 'from', 'to'], 'mode=default (gptme mode reproduces gptme)', ctx);
  // asOf is the window's end said another way: both at once would have to disagree or repeat.
  if (p.mode === 'default' && p.asOf !== undefined && p.to !== undefined) ctx.addIssue({ code: 'custom', path: ['asOf'], message: 'not with to (asOf is the state before an instant, the same as to)' });
});
export type LeaderboardParams = z.infer<typeof leaderboardParamsSchema>;

export const trendsParamsSchema = z.strictObject({
  rules: z.enum(['statistical', 'gptme']).default('statistical'),
  /** statistical: a rule set id (RuleSetDefined) whose `trends` instance answers. */
  ruleSet: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  format: z.string().min(1).optional(),
  /** Series with at least one outcome recorded under this suite. */
  suite: z.string().min(1).optional(),
  test: z.string().min(1).optional(),
  label: z.enum(['regression', 'improvement', 'flaky', 'stable_pass', 'stable_fail', 'insufficient']).optional(),
  last: positiveInt.optional(),
  diff: flag.optional(),
  regressions: flag.optional(),
  improvements: flag.optional(),
  /** gptme: one of the five lists as an ordinary page. */
  category: z.enum(GPTME_TREND_CATEGORIES).optional(),
  from: instant.optional(),
  to: instant.optional(),
  sort: z.string().min(1).optional(),
  ...paging,
}).superRefine((p, ctx) => {
  checkSort(p.sort, p.rules === 'gptme' ? GPTME_TRENDS_SORT_KEYS : STAT_TRENDS_SORT_KEYS, ctx);
  if (p.rules === 'gptme') onlyUnder(p, ['ruleSet', 'test', 'label'], 'rules=statistical (gptme: category for one list)', ctx);
  else onlyUnder(p, ['category', 'last', 'diff', 'regressions', 'improvements'], 'rules=gptme (statistical: label for one list)', ctx);
  if (p.rules === 'gptme' && p.diff) {
    onlyUnder(p, ['category', 'sort', 'limit', 'offset'], 'a list (diff=true answers an object by model, not paged)', ctx);
    // gptme's --diff compares each model's two latest runs whole: it takes `model` and nothing else.
    onlyUnder(p, ['format', 'suite', 'from', 'to', 'last', 'regressions', 'improvements'], 'the trend lists (diff=true takes only model)', ctx);
  }
});
export type TrendsParams = z.infer<typeof trendsParamsSchema>;

export const pooledTrendsParamsSchema = z.strictObject({
  /** A rule set id (RuleSetDefined) whose `trends` instance and false-discovery rules answer. */
  ruleSet: z.string().min(1).optional(),
  /** Only the model pools or only the test pools. */
  pool: z.enum(['model', 'test']).optional(),
});
export type PooledTrendsParams = z.infer<typeof pooledTrendsParamsSchema>;

export const historyParamsSchema = z.strictObject({
  format: z.string().min(1).optional(),
  suite: z.string().min(1).optional(),
  from: instant.optional(),
  to: instant.optional(),
  /** The `orderKey` of the last entry of the previous page. */
  cursor: z.string().min(1).optional(),
  limit: listLimit.default(100),
});
export type HistoryParams = z.infer<typeof historyParamsSchema>;
