/** Request bodies and query parameters of the bandit endpoints. */
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { identifier, LIMITS, nameString, testName, textString } from '../../contracts/limits.js';

export const selectionBodySchema = z.strictObject({
  /** Only its digest is stored; bounded like a lesson body. */
  text: textString(LIMITS.body, false),
  tools: z.array(nameString).optional(),
  model: nameString.optional(),
  category: nameString.optional(),
  /** Optional: to reproduce a draw. Default a random uuid (stored in the event either way). */
  seed: identifier.optional(),
});

export const outcomeBodySchema = z.strictObject({
  /** Optional when eval outcomes are referenced (it must then equal the reward they define). */
  reward: z.number().min(0).max(1).optional(),
  evalOutcomeIds: z.array(identifier).optional(),
  evalOutcomes: z.array(z.strictObject({ runId: identifier, test: testName, model: nameString })).optional(),
  salience: z.record(identifier, z.number().nonnegative()).optional(),
});

export const posteriorQuerySchema = z.strictObject({ asOf: z.iso.datetime({ offset: true }).optional() });

export function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new BadRequestException({
    message: 'Invalid request',
    problems: result.error.issues.map((i) => ({ field: i.path.join('.') || null, reason: i.message })),
  });
}
