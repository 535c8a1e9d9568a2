/**
 * Shapes of the /lessons request bodies and query parameters. They check types and syntax (400); the rules
 * of the domain (an empty keyword, an unknown status, archiving an archived lesson) are decide()'s (422).
 */
import { z } from 'zod';
import { instant } from '../../common/list-params.js';
import { DECIDERS, evidenceSchema } from '../../../contracts/evidence.js';
import { LESSON_STATUSES, type LessonStatus } from '../../../contracts/lesson.js';
import { boundedJsonObject, LIMITS, limitedString } from '../../../contracts/limits.js';
import { isValidPattern } from '../domain/lesson-matcher.js';
import { LESSON_ID_PATTERN } from '../domain/lesson-ids.js';
import { TERM_KINDS } from '../../../projections/lessons/lesson-keyword-index.js';

/** Bounded as the events are (contracts/limits.ts); emptiness is the domain's rule (422), not a 400. */
const name = limitedString(LIMITS.name, true);
const id = limitedString(LIMITS.identifier, true);
const text = limitedString(LIMITS.text, false);
const title = limitedString(LIMITS.title, false);
const body = limitedString(LIMITS.body, false);
const path = limitedString(LIMITS.path, true);
const patterns = z.array(limitedString(LIMITS.pattern, true)).superRefine((list, ctx) => {
  list.forEach((pattern, index) => {
    if (pattern.trim() !== '' && !isValidPattern(pattern)) {
      ctx.addIssue({ code: 'custom', path: [index], message: `"${pattern}" is not a valid regular expression` });
    }
  });
});
const matchLists = z.strictObject({
  keywords: z.array(name).optional(),
  patterns: patterns.optional(),
  tools: z.array(name).optional(),
  sessionCategories: z.array(name).optional(),
});
const targetGrade = z.union([name, z.array(name)]);
const lessonId = z.string().regex(LESSON_ID_PATTERN, 'must be 1-128 of A-Z a-z 0-9 _ . - starting with a letter or digit');

export const createLessonBodySchema = z.strictObject({
  lessonId: lessonId.optional(),
  path: path.optional(),
  title,
  description: text.optional(),
  category: name,
  body: body.default(''),
  match: matchLists.optional(),
  /** Checked by the domain (422 for an unknown status). Default `active`. */
  status: name.optional(),
  targetGrade: targetGrade.optional(),
  confoundNote: text.optional(),
  extraFrontmatter: boundedJsonObject().optional(),
  reason: text.optional(),
});
export type CreateLessonBody = z.output<typeof createLessonBodySchema>;

export const changeLessonBodySchema = z
  .strictObject({
    title: title.optional(),
    description: text.nullable().optional(),
    body: body.optional(),
    category: name.optional(),
    targetGrade: targetGrade.nullable().optional(),
    confoundNote: text.nullable().optional(),
    extraFrontmatter: boundedJsonObject().nullable().optional(),
    match: z
      .strictObject({
        add: matchLists.optional(),
        remove: matchLists.optional(),
        decidedBy: z.enum(DECIDERS).optional(),
        ruleSetId: id.optional(),
        evidence: evidenceSchema.optional(),
      })
      .optional(),
    status: z
      .strictObject({
        to: name,
        reason: text,
        decidedBy: z.enum(DECIDERS).optional(),
        ruleSetId: id.optional(),
        ruleSetVersion: z.int().nonnegative().optional(),
        evidence: evidenceSchema.optional(),
      })
      .optional(),
    /** Why (kept on the edit and match events; a status change has its own reason). */
    reason: text.optional(),
  })
  .refine((body) => Object.entries(body).some(([key, value]) => key !== 'reason' && value !== undefined), {
    message: 'nothing to change: send at least one of title, description, body, category, targetGrade, confoundNote, extraFrontmatter, match, status',
  });
export type ChangeLessonBody = z.output<typeof changeLessonBodySchema>;

export const mutateLessonBodySchema = z.strictObject({
  variantId: lessonId.optional(),
  title: title.optional(),
  body: body.optional(),
  match: matchLists.optional(),
  status: name.optional(),
  reason: text,
});
export type MutateLessonBody = z.output<typeof mutateLessonBodySchema>;

export const matchLessonsBodySchema = z.strictObject({
  text: z.string().max(1_000_000),
  tools: z.array(name).optional(),
  /** Only scores above it count (gptme: 0). */
  threshold: z.number().nonnegative().optional(),
  limit: z.int().min(1).max(1000).optional(),
});
export type MatchLessonsBody = z.output<typeof matchLessonsBodySchema>;

const statusList = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(LESSON_STATUSES, { error: `must be one or more of ${LESSON_STATUSES.join(', ')}, comma-separated` })));
const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listLessonsParamsSchema = z.strictObject({
  status: statusList.optional(),
  category: name.min(1).optional(),
  keyword: name.min(1).optional(),
  includeDeleted: booleanFlag.optional(),
  asOf: instant.optional(),
});
export type ListLessonsParams = z.output<typeof listLessonsParamsSchema>;
export type { LessonStatus };

export const getLessonParamsSchema = z.strictObject({ asOf: instant.optional() });

const termKinds = Object.values(TERM_KINDS) as [string, ...string[]];
export const listTermsParamsSchema = z.strictObject({
  kind: z.enum(termKinds).optional(),
  q: z.string().min(1).optional(),
});
