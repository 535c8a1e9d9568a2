/** Request bodies and query parameters of the exposure and effect endpoints. */
import { z } from 'zod';
import { injectedLessonSchema, withheldLessonSchema } from '../../contracts/exposure.js';
import { EFFECT_METHODS } from '../../projections/effects/estimate-effects.js';
import { instant, listLimit, listOffset, sortOrder } from '../common/list-params.js';

export const MAX_EXPOSURES_PER_REQUEST = 1000;

export const exposureBodySchema = z.strictObject({
  outcomeEventId: z.uuid(),
  category: z.string().min(1).max(200).optional(),
  sessionId: z.string().min(1).max(200).optional(),
  injected: z.array(injectedLessonSchema).max(200).default([]),
  withheld: z.array(withheldLessonSchema).max(200).default([]),
});
export type ExposureBody = z.infer<typeof exposureBodySchema>;

export const exposuresBodySchema = z.strictObject({
  /** Who reports (part of each exposure's id): the same outcome from the same source is recorded once. */
  source: z.string().min(1).max(200).default('api'),
  exposures: z.array(exposureBodySchema).min(1).max(MAX_EXPOSURES_PER_REQUEST),
});
export type ExposuresBody = z.infer<typeof exposuresBodySchema>;

const ruleSet = z.string().min(1).max(64).optional();
const method = z.enum(EFFECT_METHODS).optional();

export const effectQuerySchema = z.strictObject({
  method,
  ruleSet,
  asOf: instant.optional(),
  revision: z.coerce.number().int().min(0).optional(),
  /** `false`: the estimates without their evidence lists (every outcome's event id and position). */
  evidence: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const EFFECT_SORTS = ['effect', 'width', 'n'] as const;

export const effectsListQuerySchema = z.strictObject({
  method: z.enum(EFFECT_METHODS).default('randomized-holdout'),
  ruleSet,
  sort: z.enum(EFFECT_SORTS).default('effect'),
  order: sortOrder.default('desc'),
  limit: listLimit.default(50),
  offset: listOffset.default(0),
});
