/** Every lesson of the lesson catalogue's current instance, as the exposure readers need them (none built: none). */
import { LESSON_CATALOGUE_TABLE, lessonCatalogue } from '../../projections/lessons/lesson-catalogue.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { LessonState } from '../lessons/domain/lesson-state.js';
import { currentInstanceId } from '../projection-engine/instances/current-instance.js';
import type { KnownLesson } from './log-exposure.js';

export async function catalogueLessons(sql: SqlExecutor | null): Promise<KnownLesson[] | null> {
  if (!sql) return null;
  const instanceId = await currentInstanceId(sql, lessonCatalogue.name);
  if (instanceId === null) return null;
  const { rows } = await sql.query<{ doc: LessonState | null }>(`SELECT doc FROM ${LESSON_CATALOGUE_TABLE} WHERE instance_id = $1 ORDER BY doc_key`, [instanceId]);
  return rows.flatMap(({ doc }) => (doc ? [{ lessonId: doc.lessonId, path: doc.path, status: doc.status, deleted: doc.deleted, match: doc.match }] : []));
}
