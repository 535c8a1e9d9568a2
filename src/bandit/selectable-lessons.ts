/**
 * The lessons a selection may draw from (not deleted, status draft/active/automated), from the
 * `lesson-catalogue` read model plus the log after its checkpoint: only the fields matching needs are read
 * from the rows; a lesson with an event in the tail that its row has not folded yet is loaded from its own
 * stream instead. Equal to a fold of every lesson stream of the log.
 */
import type { LessonMatch, LessonStatus } from '../../contracts/lesson.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { LESSON_CATALOGUE_TABLE } from '../../projections/lessons/lesson-catalogue.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { MatchableLesson } from '../lessons/domain/lesson-matcher.js';
import { isLessonEventType } from '../lessons/domain/lesson-stream.js';
import { loadLesson } from '../lessons/store/lesson-events.js';

const SELECTABLE: ReadonlySet<string> = new Set<LessonStatus>(['draft', 'active', 'automated']);

export const isSelectable = (lesson: { status: string; deleted: boolean }) => !lesson.deleted && SELECTABLE.has(lesson.status);

interface CatalogueRow {
  lesson_id: string;
  match: LessonMatch;
  status: string;
  revision: number;
  deleted: boolean;
}

/** `tail`: the log after the catalogue's checkpoint (any event types; others are ignored). */
export async function selectableLessons(sql: SqlExecutor, store: EventStore, instanceId: string, tail: readonly RecordedEvent[]): Promise<MatchableLesson[]> {
  const { rows } = await sql.query<CatalogueRow>(
    `SELECT doc_key AS lesson_id, doc->'match' AS match, doc->>'status' AS status,
            (doc->>'revision')::int AS revision, (doc->>'deleted')::boolean AS deleted
       FROM ${LESSON_CATALOGUE_TABLE} WHERE instance_id = $1`,
    [instanceId],
  );
  const lessons = new Map(rows.map((row) => [row.lesson_id, row]));
  // Rows may already hold events after the checkpoint (the processor commits meanwhile): compare revisions.
  const stale = new Set<string>();
  for (const event of tail) {
    if (!isLessonEventType(event.type)) continue;
    const lessonId = (event.data as { lessonId: string }).lessonId;
    const row = lessons.get(lessonId);
    if (!row || BigInt(row.revision) < event.streamRevision) stale.add(lessonId);
  }
  for (const lessonId of stale) {
    const { state } = await loadLesson(store, lessonId);
    if (state) lessons.set(lessonId, { lesson_id: lessonId, match: state.match, status: state.status, revision: state.revision, deleted: state.deleted });
    else lessons.delete(lessonId);
  }
  return [...lessons.values()].filter(isSelectable).map((row) => ({ lessonId: row.lesson_id, match: row.match }));
}
