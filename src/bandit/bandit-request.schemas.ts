/** Request bodies and query parameters of the bandit endpoints. */
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

const text = z.string().min(1);

export const selectionBodySchema = z.strictObject({
  text: z.string(),
  tools: z.array(text).optional(),
  model: text.optional(),
  category: text.optional(),
  /** Optional: to reproduce a draw. Default a random uuid (stored in the event either way). */
  seed: text.optional(),
});

export const outcomeBodySchema = z.strictObject({
  /** Optional when eval outcomes are referenced (it must then equal the reward they define). */
  reward: z.number().min(0).max(1).optional(),
  evalOutcomeIds: z.array(text).optional(),
  evalOutcomes: z.array(z.strictObject({ runId: text, test: text, model: text })).optional(),
  salience: z.record(text, z.number().nonnegative()).optional(),
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
