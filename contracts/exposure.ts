/**
 * Exposure: which lessons one eval outcome received (injected) and which matched it but were withheld, and why.
 * Runs stay immutable: exposure references the outcome by event id and may arrive with the run or after it.
 * One event per (outcome, source), with a deterministic id, so sending the same exposure again is a no-op.
 * v2 adds `namedEarlier`: what earlier exposures of the same outcome named, so a read model that counts an
 * outcome once per lesson needs no state per outcome.
 */
import { z } from 'zod';
import { defineEvent, upcaster } from './event-definition.js';
import { deterministicEventId } from './event-id.js';
import { outcomeSnapshotSchema } from './evidence.js';
import { decimalString, eventIdSchema, nonNegativeInt, unitInterval } from './primitives.js';
import { freeText, identifier, nameString, pathString, testName } from './limits.js';

/**
 * Why a matched lesson was not injected. Only `coin` is randomized (a seeded coin with a known rate, recorded in
 * the selection); `cap` (the injection limit), `run-holdout` (a whole run without lessons: a comparison across
 * time) and `unknown` feed the observational estimators only.
 */
export const WITHHELD_BY = ['coin', 'cap', 'run-holdout', 'unknown'] as const;
export const withheldBySchema = z.enum(WITHHELD_BY);
export type WithheldBy = z.infer<typeof withheldBySchema>;

const lessonReferenceShape = {
  /** A lesson id the catalogue knows (an unknown id is refused before anything is written). */
  lessonId: identifier.optional(),
  /** A lesson path; one no lesson has yet is kept as an unresolved reference until that lesson appears. */
  path: pathString.optional(),
  /** The lesson's stream revision in force when the outcome ran (effects are also reported per revision). */
  revision: nonNegativeInt.optional(),
  /** P(injected) for this outcome under the selection that decided it (Thompson inclusion x (1 - holdoutRate)). */
  propensity: unitInterval.optional(),
};

function exactlyOneReference(ref: { lessonId?: string | undefined; path?: string | undefined }): boolean {
  return (ref.lessonId === undefined) !== (ref.path === undefined);
}
const oneReference = { message: 'give exactly one of lessonId and path' };

export const injectedLessonSchema = z
  .strictObject({
    ...lessonReferenceShape,
    /** The holdout rate of the coin this lesson passed; absent when no coin was flipped for it. */
    holdoutRate: unitInterval.optional(),
  })
  .refine(exactlyOneReference, oneReference);
export type InjectedLesson = z.infer<typeof injectedLessonSchema>;

export const withheldLessonSchema = z
  .strictObject({
    ...lessonReferenceShape,
    withheldBy: withheldBySchema,
    /** For `coin`: the probability the coin withheld a lesson the bandit chose. */
    holdoutRate: unitInterval.optional(),
  })
  .refine(exactlyOneReference, oneReference)
  .refine((w) => w.withheldBy !== 'coin' || (w.holdoutRate !== undefined && w.holdoutRate > 0), {
    message: 'a coin-withheld lesson needs its holdoutRate (> 0)',
    path: ['holdoutRate'],
  });
export type WithheldLesson = z.infer<typeof withheldLessonSchema>;

/** The outcome as it stood in the log when the exposure was recorded: what the estimators stratify and count. */
export const exposedOutcomeSchema = outcomeSnapshotSchema.extend({ suite: nameString.optional() });
export type ExposedOutcome = z.infer<typeof exposedOutcomeSchema>;

function refKey(ref: { lessonId?: string | undefined; path?: string | undefined }): string {
  return ref.lessonId !== undefined ? `id:${ref.lessonId}` : `path:${ref.path}`;
}

/** A lesson an earlier exposure of the same outcome named: its id or path, and its revision when given. */
export const namedLessonSchema = z
  .strictObject({ lessonId: lessonReferenceShape.lessonId, path: lessonReferenceShape.path, revision: lessonReferenceShape.revision })
  .refine(exactlyOneReference, oneReference);
export type NamedLesson = z.infer<typeof namedLessonSchema>;

const exposureShapeV1 = {
  outcome: exposedOutcomeSchema,
  /** The session's context category, when the exposure came from a bandit session (a stratum key). */
  category: nameString.optional(),
  sessionId: identifier.optional(),
  injected: z.array(injectedLessonSchema),
  withheld: z.array(withheldLessonSchema),
  /** Set when what the outcome received cannot be known (e.g. its log is unreadable); both lists are then empty. */
  unknownBecause: freeText.optional(),
};

type Reference = { lessonId?: string | undefined; path?: string | undefined };
function checkExposure(e: { unknownBecause?: string | undefined; injected: readonly Reference[]; withheld: readonly Reference[] }, ctx: z.RefinementCtx): void {
  if (e.unknownBecause !== undefined && e.injected.length + e.withheld.length > 0) {
    ctx.addIssue({ code: 'custom', message: 'an unknown exposure names no lesson', path: ['unknownBecause'] });
  }
  const seen = new Set<string>();
  const check = (list: 'injected' | 'withheld', refs: readonly Reference[]) =>
    refs.forEach((ref, i) => {
      const key = refKey(ref);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `${key} is named twice`, path: [list, i] });
      seen.add(key);
    });
  check('injected', e.injected);
  check('withheld', e.withheld);
}

export const LessonExposureRecordedV1Schema = z.strictObject(exposureShapeV1).superRefine(checkExposure);
export type LessonExposureRecordedV1Data = z.infer<typeof LessonExposureRecordedV1Schema>;

export const LessonExposureRecordedSchema = z
  .strictObject({
    ...exposureShapeV1,
    /**
     * The lessons (with their revisions) that earlier exposures of this outcome named, in its stream's order,
     * leaving out exposures of a suspected infra error: the writer reads them from the stream it appends to
     * with an expected revision. Absent only on events recorded before v2, whose earlier exposures are unknown.
     */
    namedEarlier: z.array(namedLessonSchema).optional(),
  })
  .superRefine(checkExposure);
export type LessonExposureRecordedData = z.infer<typeof LessonExposureRecordedSchema>;

export const LESSON_EXPOSURE_RECORDED_VERSION = 2;
/** v1 -> v2: v1 data is valid v2 data; `namedEarlier` stays absent (what came before is not known). */
export function upcastLessonExposureRecordedV1(data: LessonExposureRecordedV1Data): LessonExposureRecordedData {
  return data;
}
export const LessonExposureRecorded = defineEvent('LessonExposureRecorded', LESSON_EXPOSURE_RECORDED_VERSION, LessonExposureRecordedSchema, {
  schemas: { 1: LessonExposureRecordedV1Schema },
  upcasters: { 1: upcaster(upcastLessonExposureRecordedV1) },
});

/** Stream of one outcome's exposures (one event per source). */
export const exposureStreamId = (outcomeEventId: string) => `exposure-${outcomeEventId}`;

/** The same outcome from the same source is the same fact: re-sending it appends nothing. */
export function exposureEventId(outcomeEventId: string, source: string): string {
  return deterministicEventId('LessonExposureRecorded', outcomeEventId, source);
}

export const exposureEventDefinitions = [LessonExposureRecorded] as const;
