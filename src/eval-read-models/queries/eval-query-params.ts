/** Query parameters of the eval read-model endpoints (zod; unknown parameters are refused). */
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant with Z or an offset' });
const flag = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1' || v === '');
const positiveInt = z.coerce.number().int('must be an integer').min(1);

export const MAX_LIST_LIMIT = 500;
const paging = {
  limit: z.coerce.number().int('must be an integer').min(1).max(MAX_LIST_LIMIT).optional(),
  offset: z.coerce.number().int('must be an integer').min(0).default(0),
};

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
  ...paging,
});
export type LeaderboardParams = z.infer<typeof leaderboardParamsSchema>;

export const trendsParamsSchema = z.strictObject({
  rules: z.enum(['statistical', 'gptme']).default('statistical'),
  /** statistical: a rule set id (RuleSetDefined) whose `trends` instance answers. */
  ruleSet: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  format: z.string().min(1).optional(),
  test: z.string().min(1).optional(),
  label: z.enum(['regression', 'improvement', 'flaky', 'stable_pass', 'stable_fail', 'insufficient']).optional(),
  last: positiveInt.optional(),
  diff: flag.optional(),
  regressions: flag.optional(),
  improvements: flag.optional(),
  from: instant.optional(),
  to: instant.optional(),
  ...paging,
});
export type TrendsParams = z.infer<typeof trendsParamsSchema>;

export const historyParamsSchema = z.strictObject({
  format: z.string().min(1).optional(),
  from: instant.optional(),
  to: instant.optional(),
  /** The `orderKey` of the last entry of the previous page. */
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int('must be an integer').min(1).max(MAX_LIST_LIMIT).default(100),
});
export type HistoryParams = z.infer<typeof historyParamsSchema>;

export function page<T>(items: readonly T[], limit: number | undefined, offset: number) {
  const slice = limit === undefined ? items.slice(offset) : items.slice(offset, offset + limit);
  return { items: slice, total: items.length, offset, limit: limit ?? null };
}
