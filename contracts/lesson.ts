/** Lessons: prompt snippets with match rules and a lifecycle. Each lesson is one stream of these events. */
import { z } from 'zod';
import { defineEvent, upcaster } from './event-definition.js';
import { deciderSchema, evidenceSchema } from './evidence.js';
import { nonNegativeInt } from './primitives.js';
import { bodyText, boundedJsonObject, freeText, identifier, nameString, pathString, patternString, titleString } from './limits.js';

export const LESSON_STATUSES = ['draft', 'active', 'automated', 'deprecated', 'archived'] as const;
export const lessonStatusSchema = z.enum(LESSON_STATUSES);
export type LessonStatus = z.infer<typeof lessonStatusSchema>;

/** When a lesson applies. A list left out means "none" (it is stored as []). */
export const lessonMatchSchema = z.strictObject({
  keywords: z.array(nameString).default([]),
  /** Regular expressions as written in the lesson's frontmatter. */
  patterns: z.array(patternString).default([]),
  tools: z.array(nameString).default([]),
  sessionCategories: z.array(nameString).default([]),
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
export const targetGradeSchema = z.union([nameString, z.array(nameString).min(1)]);
export type TargetGrade = z.infer<typeof targetGradeSchema>;

const lessonId = identifier;

const lessonCreatedShape = {
  lessonId,
  /** Path relative to the lessons root, when the lesson comes from a file. */
  path: pathString.optional(),
  title: titleString,
  description: freeText.optional(),
  category: nameString,
  body: bodyText,
  match: lessonMatchSchema,
  status: lessonStatusSchema,
  targetGrade: targetGradeSchema.optional(),
  confoundNote: freeText.optional(),
  /** Frontmatter fields the catalogue does not model, kept verbatim (JSON values only). */
  extraFrontmatter: boundedJsonObject().optional(),
};
/** Why a change was made (a commit subject, an API caller's note). v2 of the lesson events adds it. */
const reason = freeText.optional();

export const LessonCreatedV1Schema = z.strictObject(lessonCreatedShape);
export const LessonCreatedSchema = z.strictObject({ ...lessonCreatedShape, reason });
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

const lessonEditedChangesShape = {
  title: change(titleString).optional(),
  description: change(freeText.nullable()).optional(),
  body: change(bodyText).optional(),
  category: change(nameString).optional(),
  targetGrade: change(targetGradeSchema.nullable()).optional(),
  confoundNote: change(freeText.nullable()).optional(),
};
const atLeastOneChange = { message: 'at least one change is required' };

export const LessonEditedV1Schema = z.strictObject({
  lessonId,
  changes: z
    .strictObject(lessonEditedChangesShape)
    .refine((c) => Object.values(c).some((v) => v !== undefined), atLeastOneChange),
});
/** v2: `reason`, and changes of the frontmatter fields kept verbatim (`extraFrontmatter`). */
export const LessonEditedSchema = z.strictObject({
  lessonId,
  changes: z
    .strictObject({ ...lessonEditedChangesShape, extraFrontmatter: change(boundedJsonObject().nullable()).optional() })
    .refine((c) => Object.values(c).some((v) => v !== undefined), atLeastOneChange),
  reason,
});
export type LessonEditedData = z.output<typeof LessonEditedSchema>;

const lessonMatchChangedShape = {
  lessonId,
  added: lessonMatchSchema,
  removed: lessonMatchSchema,
  decidedBy: deciderSchema,
  ruleSetId: identifier.optional(),
  evidence: evidenceSchema.optional(),
};
const somethingAddedOrRemoved = (e: { added: LessonMatch; removed: LessonMatch }) =>
  !isEmptyMatch(e.added) || !isEmptyMatch(e.removed);
const nothingAddedOrRemoved = () => ({ message: 'added or removed must hold at least one entry', path: ['added'] });

export const LessonMatchChangedV1Schema = z
  .strictObject(lessonMatchChangedShape)
  .refine(somethingAddedOrRemoved, nothingAddedOrRemoved());
export const LessonMatchChangedSchema = z
  .strictObject({ ...lessonMatchChangedShape, reason })
  .refine(somethingAddedOrRemoved, nothingAddedOrRemoved());
export type LessonMatchChangedData = z.output<typeof LessonMatchChangedSchema>;

export const LessonStatusChangedSchema = z
  .strictObject({
    lessonId,
    from: lessonStatusSchema,
    to: lessonStatusSchema,
    reason: freeText,
    decidedBy: deciderSchema,
    ruleSetId: identifier.optional(),
    ruleSetVersion: nonNegativeInt.optional(),
    evidence: evidenceSchema.optional(),
  })
  .refine((e) => e.from !== e.to, { message: 'from and to must differ', path: ['to'] });
export type LessonStatusChangedData = z.output<typeof LessonStatusChangedSchema>;

const lessonMutatedShape = {
  lessonId,
  parentLessonId: lessonId,
  title: titleString,
  body: bodyText,
  match: lessonMatchSchema,
  reason: freeText,
};
const notItsOwnParent = (e: { lessonId: string; parentLessonId: string }) => e.lessonId !== e.parentLessonId;
const ownParent = () => ({ message: 'a variant must not be its own parent', path: ['parentLessonId'] });

/** A new variant derived from a parent lesson; `lessonId` is the variant's own id (its own stream). */
export const LessonMutatedV1Schema = z.strictObject(lessonMutatedShape).refine(notItsOwnParent, ownParent());
/**
 * v2 says what the variant starts as (its stream has no LessonCreated): the category and description it
 * takes from its parent, and its first status. A v1 variant, without them, reads as a `draft` whose
 * category is `uncategorised`.
 */
export const LessonMutatedSchema = z
  .strictObject({
    ...lessonMutatedShape,
    category: nameString.optional(),
    description: freeText.optional(),
    status: lessonStatusSchema.optional(),
  })
  .refine(notItsOwnParent, ownParent());
export type LessonMutatedData = z.output<typeof LessonMutatedSchema>;

const differentPaths = (e: { fromPath: string; toPath: string }) => e.fromPath !== e.toPath;
const samePaths = () => ({ message: 'fromPath and toPath must differ', path: ['toPath'] });
const lessonMovedShape = { lessonId, fromPath: pathString, toPath: pathString };

export const LessonMovedV1Schema = z.strictObject(lessonMovedShape).refine(differentPaths, samePaths());
export const LessonMovedSchema = z.strictObject({ ...lessonMovedShape, reason }).refine(differentPaths, samePaths());
export type LessonMovedData = z.output<typeof LessonMovedSchema>;

export const LessonDeletedSchema = z.strictObject({ lessonId, path: pathString, reason: freeText });
export type LessonDeletedData = z.output<typeof LessonDeletedSchema>;

export const LESSON_CREATED_VERSION = 2;
export const LESSON_EDITED_VERSION = 2;
export const LESSON_MATCH_CHANGED_VERSION = 2;
export const LESSON_STATUS_CHANGED_VERSION = 1;
export const LESSON_MUTATED_VERSION = 2;
export const LESSON_MOVED_VERSION = 2;
export const LESSON_DELETED_VERSION = 1;

/** Every v2 only adds optional fields: v1 data is already valid v2 data, so the upcasters change nothing. */
const unchanged = upcaster((data: unknown) => data);

export const LessonCreated = defineEvent('LessonCreated', LESSON_CREATED_VERSION, LessonCreatedSchema, {
  schemas: { 1: LessonCreatedV1Schema },
  upcasters: { 1: unchanged },
});
export const LessonEdited = defineEvent('LessonEdited', LESSON_EDITED_VERSION, LessonEditedSchema, {
  schemas: { 1: LessonEditedV1Schema },
  upcasters: { 1: unchanged },
});
export const LessonMatchChanged = defineEvent('LessonMatchChanged', LESSON_MATCH_CHANGED_VERSION, LessonMatchChangedSchema, {
  schemas: { 1: LessonMatchChangedV1Schema },
  upcasters: { 1: unchanged },
});
export const LessonStatusChanged = defineEvent(
  'LessonStatusChanged',
  LESSON_STATUS_CHANGED_VERSION,
  LessonStatusChangedSchema,
);
export const LessonMutated = defineEvent('LessonMutated', LESSON_MUTATED_VERSION, LessonMutatedSchema, {
  schemas: { 1: LessonMutatedV1Schema },
  upcasters: { 1: unchanged },
});
export const LessonMoved = defineEvent('LessonMoved', LESSON_MOVED_VERSION, LessonMovedSchema, {
  schemas: { 1: LessonMovedV1Schema },
  upcasters: { 1: unchanged },
});
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

/** The lesson events that change what a lesson says or whether it is in play (a move changes only its path). */
export const LESSON_CONTENT_EVENT_TYPES = [
  LessonCreated.type,
  LessonEdited.type,
  LessonMatchChanged.type,
  LessonStatusChanged.type,
  LessonMutated.type,
  LessonDeleted.type,
] as const;
