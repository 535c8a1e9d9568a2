/** Query parameters of `GET /experiments` and `GET /analyses/compare` (zod; unknown parameters are refused). */
import { z } from 'zod';
import { instant, listLimit, listOffset, sortOrder } from '../common/list-params.js';

export const DEFAULT_EXPERIMENTS_LIMIT = 100;

export const EXPERIMENT_SORT_KEYS = ['at', 'status', 'lesson', 'effect', 'p', 'q', 'confounders', 'change'] as const;
export type ExperimentSortKey = (typeof EXPERIMENT_SORT_KEYS)[number];
export const DIFFERENCE_SORT_KEYS = ['at', 'lesson', 'status', 'effect', 'effectChange', 'change'] as const;
export type DifferenceSortKey = (typeof DIFFERENCE_SORT_KEYS)[number];
export const EXPERIMENT_STATUSES = ['isolated', 'confounded', 'insufficient-data'] as const;

const listing = {
  limit: listLimit.default(DEFAULT_EXPERIMENTS_LIMIT),
  offset: listOffset.default(0),
  order: sortOrder.default('asc'),
  lesson: z.string().min(1).optional(),
  /** Event time of the lesson change, inclusive. */
  from: instant.optional(),
  /** Exclusive. */
  to: instant.optional(),
};

export const listExperimentsParamsSchema = z.strictObject({
  ruleSet: z.string().min(1).optional(),
  status: z.enum(EXPERIMENT_STATUSES, { error: `must be one of ${EXPERIMENT_STATUSES.join(', ')}` }).optional(),
  model: z.string().min(1).optional(),
  sort: z.enum(EXPERIMENT_SORT_KEYS, { error: `must be one of ${EXPERIMENT_SORT_KEYS.join(', ')}` }).default('at'),
  ...listing,
});
export type ListExperimentsParams = z.infer<typeof listExperimentsParamsSchema>;

export const compareParamsSchema = z.strictObject({
  a: z.string({ error: 'is required (a rule set id, `default` for the default rules)' }).min(1),
  b: z.string({ error: 'is required (a rule set id, `default` for the default rules)' }).min(1),
  /** A difference whose status under a or under b is this. */
  status: z.enum(EXPERIMENT_STATUSES, { error: `must be one of ${EXPERIMENT_STATUSES.join(', ')}` }).optional(),
  /** A difference where this model's status differs, or a confounder about it entered or left. */
  model: z.string().min(1).optional(),
  sort: z.enum(DIFFERENCE_SORT_KEYS, { error: `must be one of ${DIFFERENCE_SORT_KEYS.join(', ')}` }).default('at'),
  ...listing,
});
export type CompareParams = z.infer<typeof compareParamsSchema>;
