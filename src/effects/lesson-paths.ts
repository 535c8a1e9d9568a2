/** Lesson ids by lesson path, from the lesson catalogue's current instance (none built yet: no path resolves). */
import type { LessonState } from '../lessons/domain/lesson-state.js';
import { LESSON_CATALOGUE_TABLE, lessonCatalogue } from '../../projections/lessons/lesson-catalogue.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { currentInstanceId } from '../projection-engine/instances/current-instance.js';

export async function lessonIdsByPath(sql: SqlExecutor | null, paths: readonly string[]): Promise<Map<string, string>> {
  if (!sql || paths.length === 0) return new Map();
  const instanceId = await currentInstanceId(sql, lessonCatalogue.name);
  if (instanceId === null) return new Map();
  const { rows } = await sql.query<{ doc_key: string; path: string }>(
    `SELECT doc_key, doc->>'path' AS path FROM ${LESSON_CATALOGUE_TABLE} WHERE instance_id = $1 AND doc->>'path' = ANY($2::text[])`,
    [instanceId, [...paths]],
  );
  return new Map(rows.map((r) => [r.path, r.doc_key]));
}

/** A lesson's catalogue entry (its current path), or null. */
export async function catalogueLesson(sql: SqlExecutor, lessonId: string): Promise<LessonState | null> {
  const instanceId = await currentInstanceId(sql, lessonCatalogue.name);
  if (instanceId === null) return null;
  const { rows } = await sql.query<{ doc: LessonState }>(`SELECT doc FROM ${LESSON_CATALOGUE_TABLE} WHERE instance_id = $1 AND doc_key = $2`, [instanceId, lessonId]);
  return rows[0]?.doc ?? null;
}
