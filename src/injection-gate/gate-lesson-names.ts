/**
 * The lessons of a pair's per-lesson contrasts named as every other answer names them: the gate keys a lesson by
 * `id:<lessonId>`, or `path:<path>` when an exposure gave only a path; a path resolves to the lesson that has it
 * now. A path no lesson has yet keeps `lessonId` null and its path.
 */
import type { SqlExecutor } from '../database/sql-client.js';
import { lessonIdsByPath } from '../effects/lesson-paths.js';
import { lessonNames, type LessonName } from '../lessons/read-model/lesson-titles.js';

export type GateLessonName = LessonName & { lessonId: string | null };

export async function withGateLessonNames<T extends { lessonRef: string }>(sql: SqlExecutor, lessons: readonly T[]): Promise<(T & GateLessonName)[]> {
  const pathOf = (ref: string) => (ref.startsWith('path:') ? ref.slice('path:'.length) : null);
  const byPath = await lessonIdsByPath(sql, lessons.flatMap((l) => pathOf(l.lessonRef) ?? []));
  const idOf = (ref: string) => (ref.startsWith('id:') ? ref.slice('id:'.length) : byPath.get(pathOf(ref)!) ?? null);
  const names = await lessonNames(sql, lessons.flatMap((l) => idOf(l.lessonRef) ?? []));
  return lessons.map((l) => {
    const lessonId = idOf(l.lessonRef);
    const name = lessonId === null ? undefined : names.get(lessonId);
    return { ...l, lessonId, lessonTitle: name?.lessonTitle ?? null, lessonPath: name?.lessonPath ?? pathOf(l.lessonRef) };
  });
}
