/** Lessons: prompt snippets with match rules and a lifecycle. Each lesson is one stream of these events. */
import { z } from 'zod';
import { defineEvent } from './event-definition.js';
import { deciderSchema, evidenceSchema } from './evidence.js';
import { jsonObject, nonEmptyString, nonNegativeInt } from './primitives.js';

export const LESSON_STATUSES = ['draft', 'active', 'automated', 'deprecated', 'archived'] as const;
export const lessonStatusSchema = z.enum(LESSON_STATUSES);
export type LessonStatus = z.infer<typeof lessonStatusSchema>;

/** When a lesson applies. A list left out means "none" (it is stored as []). */
export const lessonMatchSchema = z.strictObject({
  keywords: z.array(nonEmptyString).default([]),
  /** Regular expressions as written in the lesson's frontmatter. */
  patterns: z.array(nonEmptyString).default([]),
  tools: z.array(nonEmptyString).default([]),
  sessionCategories: z.array(nonEmptyString).default([]),
});
export type LessonMatch = z.output<typeof lessonMatchSchema>;
export type LessonMatchInput = z.input<typeof lessonMatchSchema>;

export function isEmptyMatch(match: LessonMatch): boolean {
  return (
    match.keywords.length === 0 &&
    match.patterns.length === 0 &&
    match.tools.length === 0 &&
    match.sessionCategories.length === 0
  );
}

/** gptme writes `target_grade: alignment` or `target_grade: [harm, productivity]`. */
export const targetGradeSchema = z.union([nonEmptyString, z.array(nonEmptyString).min(1)]);
export type TargetGrade = z.infer<typeof targetGradeSchema>;

const lessonId = nonEmptyString;

export const LessonCreatedSchema = z.strictObject({
  lessonId,
  /** Path relative to the lessons root, when the lesson comes from a file. */
  path: nonEmptyString.optional(),
  title: nonEmptyString,
  description: nonEmptyString.optional(),
  category: nonEmptyString,
  body: z.string(),
  match: lessonMatchSchema,
  status: lessonStatusSchema,
  targetGrade: targetGradeSchema.optional(),
  confoundNote: nonEmptyString.optional(),
  /** Frontmatter fields the catalogue does not model, kept verbatim (JSON values only). */
  extraFrontmatter: jsonObject.optional(),
});
export type LessonCreatedData = z.output<typeof LessonCreatedSchema>;

/** A change of one field; null on either side means the field is absent. */
function change<T>(value: z.ZodType<T>) {
  return z
    .strictObject({ from: value, to: value })
    .refine((c) => JSON.stringify(c.from) !== JSON.stringify(c.to), {
      message: 'from and to must differ',
      path: ['to'],
    });
}

export const LessonEditedSchema = z.strictObject({
  lessonId,
  changes: z
    .strictObject({
      title: change(nonEmptyString).optional(),
      description: change(nonEmptyString.nullable()).optional(),
      body: change(z.string()).optional(),
      category: change(nonEmptyString).optional(),
      targetGrade: change(targetGradeSchema.nullable()).optional(),
      confoundNote: change(nonEmptyString.nullable()).optional(),
    })
    .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'at least one change is required' }),
});
export type LessonEditedData = z.output<typeof LessonEditedSchema>;

export const LessonMatchChangedSchema = z
  .strictObject({
    lessonId,
    added: lessonMatchSchema,
    removed: lessonMatchSchema,
    decidedBy: deciderSchema,
    ruleSetId: nonEmptyString.optional(),
    evidence: evidenceSchema.optional(),
  })
  .refine((e) => !isEmptyMatch(e.added) || !isEmptyMatch(e.removed), {
    message: 'added or removed must hold at least one entry',
    path: ['added'],
  });
export type LessonMatchChangedData = z.output<typeof LessonMatchChangedSchema>;

export const LessonStatusChangedSchema = z
  .strictObject({
    lessonId,
    from: lessonStatusSchema,
    to: lessonStatusSchema,
    reason: nonEmptyString,
    decidedBy: deciderSchema,
    ruleSetId: nonEmptyString.optional(),
    ruleSetVersion: nonNegativeInt.optional(),
    evidence: evidenceSchema.optional(),
  })
  .refine((e) => e.from !== e.to, { message: 'from and to must differ', path: ['to'] });
export type LessonStatusChangedData = z.output<typeof LessonStatusChangedSchema>;

/** A new variant derived from a parent lesson; `lessonId` is the variant's own id (its own stream). */
export const LessonMutatedSchema = z
  .strictObject({
    lessonId,
    parentLessonId: lessonId,
    title: nonEmptyString,
    body: z.string(),
    match: lessonMatchSchema,
    reason: nonEmptyString,
  })
  .refine((e) => e.lessonId !== e.parentLessonId, {
    message: 'a variant must not be its own parent',
    path: ['parentLessonId'],
  });
export type LessonMutatedData = z.output<typeof LessonMutatedSchema>;

export const LessonMovedSchema = z
  .strictObject({ lessonId, fromPath: nonEmptyString, toPath: nonEmptyString })
  .refine((e) => e.fromPath !== e.toPath, { message: 'fromPath and toPath must differ', path: ['toPath'] });
export type LessonMovedData = z.output<typeof LessonMovedSchema>;

export const LessonDeletedSchema = z.strictObject({ lessonId, path: nonEmptyString, reason: nonEmptyString });
export type LessonDeletedData = z.output<typeof LessonDeletedSchema>;

export const LESSON_CREATED_VERSION = 1;
export const LESSON_EDITED_VERSION = 1;
export const LESSON_MATCH_CHANGED_VERSION = 1;
export const LESSON_STATUS_CHANGED_VERSION = 1;
export const LESSON_MUTATED_VERSION = 1;
export const LESSON_MOVED_VERSION = 1;
export const LESSON_DELETED_VERSION = 1;

export const LessonCreated = defineEvent('LessonCreated', LESSON_CREATED_VERSION, LessonCreatedSchema);
export const LessonEdited = defineEvent('LessonEdited', LESSON_EDITED_VERSION, LessonEditedSchema);
export const LessonMatchChanged = defineEvent(
  'LessonMatchChanged',
  LESSON_MATCH_CHANGED_VERSION,
  LessonMatchChangedSchema,
);
export const LessonStatusChanged = defineEvent(
  'LessonStatusChanged',
  LESSON_STATUS_CHANGED_VERSION,
  LessonStatusChangedSchema,
);
export const LessonMutated = defineEvent('LessonMutated', LESSON_MUTATED_VERSION, LessonMutatedSchema);
export const LessonMoved = defineEvent('LessonMoved', LESSON_MOVED_VERSION, LessonMovedSchema);
export const LessonDeleted = defineEvent('LessonDeleted', LESSON_DELETED_VERSION, LessonDeletedSchema);

export const lessonEventDefinitions = [
  LessonCreated,
  LessonEdited,
  LessonMatchChanged,
  LessonStatusChanged,
  LessonMutated,
  LessonMoved,
  LessonDeleted,
] as const;
