/** Thompson-sampling lesson selection: what was sampled for a session and the reward it earned. */
import { z } from 'zod';
import { defineEvent } from './event-definition.js';
import { nonEmptyString, unitInterval } from './primitives.js';

export const samplingContextSchema = z.strictObject({
  model: nonEmptyString.optional(),
  category: nonEmptyString.optional(),
  tools: z.array(nonEmptyString).optional(),
  /** A digest of the session's text, never the text itself. */
  textDigest: nonEmptyString.optional(),
});
export type SamplingContext = z.infer<typeof samplingContextSchema>;

export const armCandidateSchema = z.strictObject({
  lessonId: nonEmptyString,
  /** The arm the posterior belongs to (a lesson, or a lesson within a context bucket). */
  armKey: nonEmptyString,
  alpha: z.number().positive(),
  beta: z.number().positive(),
  /** The value drawn from Beta(alpha, beta). */
  theta: unitInterval,
});
export type ArmCandidate = z.infer<typeof armCandidateSchema>;

export const policyRefSchema = z.strictObject({ ruleSetId: nonEmptyString, version: z.int().positive() });
export type PolicyRef = z.infer<typeof policyRefSchema>;

export const LessonArmsSampledSchema = z
  .strictObject({
    sessionId: nonEmptyString,
    context: samplingContextSchema,
    candidates: z.array(armCandidateSchema),
    selected: z.array(nonEmptyString),
    policy: policyRefSchema,
    /** The PRNG seed, so a draw can be replayed. */
    seed: nonEmptyString,
  })
  .superRefine((e, ctx) => {
    const candidates = new Set(e.candidates.map((c) => c.lessonId));
    const seen = new Set<string>();
    e.selected.forEach((id, i) => {
      if (!candidates.has(id)) {
        ctx.addIssue({ code: 'custom', message: `${id} is not a candidate`, path: ['selected', i] });
      }
      if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `${id} is selected twice`, path: ['selected', i] });
      seen.add(id);
    });
  });
export type LessonArmsSampledData = z.infer<typeof LessonArmsSampledSchema>;

export const SessionRewardObservedSchema = z.strictObject({
  sessionId: nonEmptyString,
  reward: unitInterval,
  evalOutcomeIds: z.array(nonEmptyString).optional(),
  /** How much each lesson (by lessonId) showed in the session; used to share the reward. */
  salience: z.record(nonEmptyString, z.number().nonnegative()).optional(),
});
export type SessionRewardObservedData = z.infer<typeof SessionRewardObservedSchema>;

export const LESSON_ARMS_SAMPLED_VERSION = 1;
export const SESSION_REWARD_OBSERVED_VERSION = 1;
export const LessonArmsSampled = defineEvent('LessonArmsSampled', LESSON_ARMS_SAMPLED_VERSION, LessonArmsSampledSchema);
export const SessionRewardObserved = defineEvent(
  'SessionRewardObserved',
  SESSION_REWARD_OBSERVED_VERSION,
  SessionRewardObservedSchema,
);

export const banditEventDefinitions = [LessonArmsSampled, SessionRewardObserved] as const;
