/** GET /lessons query parameters: the catalogue filters plus text search, server-side sort and paging. */
import { z } from 'zod';
import { listLimit, listOffset, sortOrder } from '../../common/list-params.js';
import { listLessonsParamsSchema, listTermsParamsSchema } from '../http/lesson-request.schemas.js';

export const LESSON_SORT_KEYS = ['path', 'lessonId', 'title', 'category', 'status', 'revision', 'createdAt', 'updatedAt'] as const;
export type LessonSortKey = (typeof LESSON_SORT_KEYS)[number];

export const listLessonsPageParamsSchema = listLessonsParamsSchema.extend({
  /** Case-insensitive substring of the id, title, description or path. */
  q: z.string().min(1).optional(),
  sort: z.enum(LESSON_SORT_KEYS, { error: `must be one of ${LESSON_SORT_KEYS.join(', ')}` }).default('path'),
  order: sortOrder.default('asc'),
  /** Absent: every lesson (the catalogue's answer before paging existed). */
  limit: listLimit.optional(),
  offset: listOffset.default(0),
});
export type ListLessonsPageParams = z.output<typeof listLessonsPageParamsSchema>;

/** GET /lessons/keywords: the term filters plus paging (terms stay in key order). */
export const listTermsPageParamsSchema = listTermsParamsSchema.extend({
  /** Absent: every term. */
  limit: listLimit.optional(),
  offset: listOffset.default(0),
});
