/** Thompson-sampling lesson selection: what was sampled for a session and the reward it earned. */
import { z } from 'zod';
import { defineEvent, upcaster } from './event-definition.js';
import { evidenceSchema, outcomeSnapshotSchema } from './evidence.js';
import { decimalString, eventIdSchema, nonNegativeInt, unitInterval } from './primitives.js';
import { freeText, identifier, identifierString, LIMITS, nameString, testName } from './limits.js';

export const samplingContextSchema = z.strictObject({
  model: nameString.optional(),
  category: nameString.optional(),
  tools: z.array(nameString).optional(),
  /** A digest of the session's text, never the text itself. */
  textDigest: identifier.optional(),
});
export type SamplingContext = z.infer<typeof samplingContextSchema>;

export const armCandidateSchema = z.strictObject({
  lessonId: identifier,
  /** The arm the posterior belongs to (a lesson, or a lesson within a context bucket). */
  armKey: identifierString(LIMITS.identifier * 3),
  alpha: z.number().positive(),
  beta: z.number().positive(),
  /** The value drawn from Beta(alpha, beta). */
  theta: unitInterval,
});
export type ArmCandidate = z.infer<typeof armCandidateSchema>;

export const policyRefSchema = z.strictObject({ ruleSetId: identifier, version: z.int().positive() });
export type PolicyRef = z.infer<typeof policyRefSchema>;

const lessonArmsSampledFieldsV1 = {
  sessionId: identifier,
  context: samplingContextSchema,
  candidates: z.array(armCandidateSchema),
  selected: z.array(identifier),
  policy: policyRefSchema,
  /** The PRNG seed, so a draw can be replayed. */
  seed: identifier,
};

function selectedAreCandidates(e: { candidates: { lessonId: string }[]; selected: string[] }, ctx: z.RefinementCtx): void {
  const candidates = new Set(e.candidates.map((c) => c.lessonId));
  const seen = new Set<string>();
  e.selected.forEach((id, i) => {
    if (!candidates.has(id)) ctx.addIssue({ code: 'custom', message: `${id} is not a candidate`, path: ['selected', i] });
    if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `${id} is selected twice`, path: ['selected', i] });
    seen.add(id);
  });
}

export const LessonArmsSampledV1Schema = z.strictObject(lessonArmsSampledFieldsV1).superRefine(selectedAreCandidates);
export type LessonArmsSampledV1Data = z.infer<typeof LessonArmsSampledV1Schema>;

/** v2: a candidate's Thompson inclusion probability P(in the top k), estimated by seeded Monte Carlo. */
export const armCandidateV2Schema = armCandidateSchema.extend({ inclusionProbability: unitInterval.optional() });

/** The randomized holdout: each lesson Thompson chose was withheld with probability `rate` by a coin. */
export const holdoutRecordSchema = z.strictObject({
  rate: unitInterval,
  /** Drawn by the server (never the client's `seed`, which only replays the thetas); null when rate is 0. */
  coinSeed: identifier.nullable(),
  /** The lessons Thompson chose that the coin withheld (not refilled); `selected` holds the injected ones. */
  withheld: z.array(identifier),
});
export type HoldoutRecord = z.infer<typeof holdoutRecordSchema>;
export const NO_HOLDOUT: HoldoutRecord = Object.freeze({ rate: 0, coinSeed: null, withheld: [] }) as HoldoutRecord;

/** How the inclusion probabilities were estimated: R Monte Carlo redraws of every theta from a seed. */
export const inclusionEstimateSchema = z.strictObject({
  method: z.literal('monte-carlo'),
  draws: z.int().positive(),
  seed: identifier,
});

export const LessonArmsSampledSchema = z
  .strictObject({
    ...lessonArmsSampledFieldsV1,
    candidates: z.array(armCandidateV2Schema),
    holdout: holdoutRecordSchema.default(NO_HOLDOUT),
    inclusion: inclusionEstimateSchema.optional(),
  })
  .superRefine((e, ctx) => {
    selectedAreCandidates(e, ctx);
    const candidates = new Set(e.candidates.map((c) => c.lessonId));
    const selected = new Set(e.selected);
    e.holdout.withheld.forEach((id, i) => {
      if (!candidates.has(id)) ctx.addIssue({ code: 'custom', message: `${id} is not a candidate`, path: ['holdout', 'withheld', i] });
      if (selected.has(id)) ctx.addIssue({ code: 'custom', message: `${id} is both selected and withheld`, path: ['holdout', 'withheld', i] });
    });
    if (e.holdout.withheld.length > 0 && e.holdout.coinSeed === null) {
      ctx.addIssue({ code: 'custom', message: 'a coin withheld lessons but no coinSeed is recorded', path: ['holdout', 'coinSeed'] });
    }
  });
export type LessonArmsSampledData = z.infer<typeof LessonArmsSampledSchema>;

/** One eval outcome a reward was computed from, as it stood in the log when the reward was recorded. */
export const rewardOutcomeSchema = outcomeSnapshotSchema;
export type RewardOutcome = z.infer<typeof rewardOutcomeSchema>;

/** How a reward was defined by eval outcomes: the fraction passed among those that are not suspected infra errors. */
export const rewardFromOutcomesSchema = z.strictObject({
  outcomes: z.array(rewardOutcomeSchema).min(1),
  /** Outcomes counted (not suspected infra errors) and how many of them passed: reward = passed / counted. */
  counted: nonNegativeInt,
  passed: nonNegativeInt,
  infraErrorsExcluded: nonNegativeInt,
});
export type RewardFromOutcomes = z.infer<typeof rewardFromOutcomesSchema>;

const sessionRewardFieldsV1 = {
  sessionId: identifier,
  reward: unitInterval,
  evalOutcomeIds: z.array(identifier).optional(),
  /** How much each lesson (by lessonId) showed in the session; used to share the reward. */
  salience: z.record(identifier, z.number().nonnegative()).optional(),
};
export const SessionRewardObservedV1Schema = z.strictObject(sessionRewardFieldsV1);
/** v2 adds `fromOutcomes`: the reward was computed from these eval outcomes (ids and global positions). */
export const SessionRewardObservedSchema = z.strictObject({ ...sessionRewardFieldsV1, fromOutcomes: rewardFromOutcomesSchema.optional() });
export type SessionRewardObservedData = z.infer<typeof SessionRewardObservedSchema>;

export const MUTATION_FLAG_REASONS = ['stalled-middle-band'] as const;

/**
 * The lifecycle policy's third decision: the lesson is neither good enough to promote nor bad enough to
 * archive, and more rewards will not settle it; a person (or a mutation pipeline) should rewrite it.
 * Stream `mutation-flag-<lessonId>`; decided once per (lesson, reason) under a rule set version.
 */
export const LessonFlaggedForMutationSchema = z.strictObject({
  lessonId: identifier,
  reason: z.enum(MUTATION_FLAG_REASONS),
  /** Human-readable explanation with the numbers. */
  explanation: freeText,
  decidedBy: z.literal('policy'),
  ruleSetId: identifier,
  ruleSetVersion: z.int().positive(),
  evidence: evidenceSchema,
});
export type LessonFlaggedForMutationData = z.infer<typeof LessonFlaggedForMutationSchema>;

export const LESSON_ARMS_SAMPLED_VERSION = 2;
export const SESSION_REWARD_OBSERVED_VERSION = 2;
export const LESSON_FLAGGED_FOR_MUTATION_VERSION = 1;
/** v1 -> v2: no coin was flipped (rate 0, nothing withheld) and no inclusion probability was estimated. */
export function upcastLessonArmsSampledV1(data: LessonArmsSampledV1Data): LessonArmsSampledData {
  return { ...data, holdout: { ...NO_HOLDOUT, withheld: [] } };
}
export const LessonArmsSampled = defineEvent('LessonArmsSampled', LESSON_ARMS_SAMPLED_VERSION, LessonArmsSampledSchema, {
  schemas: { 1: LessonArmsSampledV1Schema },
  upcasters: { 1: upcaster(upcastLessonArmsSampledV1) },
});
export const SessionRewardObserved = defineEvent(
  'SessionRewardObserved',
  SESSION_REWARD_OBSERVED_VERSION,
  SessionRewardObservedSchema,
  // v1 data is valid v2 data (v2 only adds an optional field).
  { schemas: { 1: SessionRewardObservedV1Schema }, upcasters: { 1: upcaster((data: unknown) => data) } },
);
export const LessonFlaggedForMutation = defineEvent(
  'LessonFlaggedForMutation',
  LESSON_FLAGGED_FOR_MUTATION_VERSION,
  LessonFlaggedForMutationSchema,
);

export const banditEventDefinitions = [LessonArmsSampled, SessionRewardObserved, LessonFlaggedForMutation] as const;
