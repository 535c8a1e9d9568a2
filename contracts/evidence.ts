/** The evidence a decision (human or policy) points at: the numbers it used and the events they came from. */
import { z } from 'zod';
import { decimalString, eventIdSchema } from './primitives.js';
import { identifier, nameString, testName } from './limits.js';

export const evidenceSchema = z.strictObject({
  numbers: z.record(nameString, z.number()),
  eventIds: z.array(eventIdSchema),
  /** Global positions as decimal strings (they are bigints; JSON has none). */
  globalPositions: z.array(decimalString),
  rule: nameString.optional(),
  /** The effect estimator a policy decision on effect used (`holdout-effect` or `stratified-loo`); absent: the reward posterior. */
  estimator: nameString.optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const DECIDERS = ['human', 'policy'] as const;
export const deciderSchema = z.enum(DECIDERS);
export type Decider = z.infer<typeof deciderSchema>;

/** An eval outcome as it stood in the log when a later event cited it (a reward's inputs, an exposure's outcome). */
export const outcomeSnapshotSchema = z.strictObject({
  eventId: eventIdSchema,
  globalPosition: decimalString,
  runId: identifier,
  test: testName,
  model: nameString,
  passed: z.boolean(),
  suspectedInfraError: z.boolean(),
});
