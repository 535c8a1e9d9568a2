/** The evidence a decision (human or policy) points at: the numbers it used and the events they came from. */
import { z } from 'zod';
import { decimalString, eventIdSchema } from './primitives.js';
import { nameString } from './limits.js';

export const evidenceSchema = z.strictObject({
  numbers: z.record(nameString, z.number()),
  eventIds: z.array(eventIdSchema),
  /** Global positions as decimal strings (they are bigints; JSON has none). */
  globalPositions: z.array(decimalString),
  rule: nameString.optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const DECIDERS = ['human', 'policy'] as const;
export const deciderSchema = z.enum(DECIDERS);
export type Decider = z.infer<typeof deciderSchema>;
