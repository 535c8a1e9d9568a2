/**
 * Lesson titles and paths by id, from the lesson catalogue's current instance: what list answers put beside a
 * lesson id so people read a title, not an id. A lesson the catalogue does not hold (yet) gets null for both.
 */
import { LESSON_CATALOGUE_TABLE, lessonCatalogue } from '../../../projections/lessons/lesson-catalogue.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import { currentInstanceId } from '../../projection-engine/instances/current-instance.js';

export interface LessonName {
  lessonTitle: string | null;
  lessonPath: string | null;
}

export async function lessonNames(sql: SqlExecutor, lessonIds: Iterable<string>): Promise<Map<string, LessonName>> {
  const ids = [...new Set(lessonIds)];
  if (ids.length === 0) return new Map();
  const instanceId = await currentInstanceId(sql, lessonCatalogue.name);
  if (instanceId === null) return new Map();
  const { rows } = await sql.query<{ doc_key: string; title: string | null; path: string | null }>(
    `SELECT doc_key, doc->>'title' AS title, doc->>'path' AS path FROM ${LESSON_CATALOGUE_TABLE} WHERE instance_id = $1 AND doc_key = ANY($2::text[])`,
    [instanceId, ids],
  );
  return new Map(rows.map((r) => [r.doc_key, { lessonTitle: r.title, lessonPath: r.path }]));
}

/** Each item with `lessonTitle` and `lessonPath` beside its `lessonId`. */
export async function withLessonNames<T extends { lessonId: string }>(sql: SqlExecutor, items: readonly T[]): Promise<(T & LessonName)[]> {
  const names = await lessonNames(sql, items.map((i) => i.lessonId));
  return items.map((i) => ({ ...i, ...(names.get(i.lessonId) ?? { lessonTitle: null, lessonPath: null }) }));
}
