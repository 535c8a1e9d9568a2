/**
 * Lesson ids for lesson files: a uuid v5 of the path relative to the lessons root, taken when the file is
 * first seen. A moved file keeps its id (the importers map the new path to it). When the id of a path is
 * already taken (the lesson first seen there moved away, or was deleted, and a new file appeared at that
 * path), the next generation of that path's id is used.
 */
import { LESSONLOOP_NAMESPACE, uuidV5 } from '../../../contracts/event-id.js';

export function lessonIdForPath(relativePath: string, generation = 0): string {
  const name = generation === 0 ? ['lesson-file', relativePath] : ['lesson-file', relativePath, generation];
  return uuidV5(JSON.stringify(name), LESSONLOOP_NAMESPACE);
}

/** The first id of this path's sequence that `isTaken` does not claim. */
export async function firstFreeLessonId(relativePath: string, isTaken: (lessonId: string) => boolean | Promise<boolean>): Promise<string> {
  for (let generation = 0; ; generation++) {
    const id = lessonIdForPath(relativePath, generation);
    if (!(await isTaken(id))) return id;
  }
}

/** Ids the API accepts from a caller: a slug or a uuid, safe in a URL path segment and a stream name. */
export const LESSON_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
