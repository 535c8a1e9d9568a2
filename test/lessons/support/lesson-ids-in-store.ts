/** Every lesson id with a stream in the store (a scan of all events: fine for specs, not for the app). */
import type { EventStore } from '../../../src/event-store/event-store.port.js';
import { LESSON_STREAM_PREFIX } from '../../../src/lessons/domain/lesson-stream.js';

export async function lessonIdsInStore(store: EventStore): Promise<string[]> {
  const ids = new Set<string>();
  for (const event of await store.readAll()) {
    if (event.streamId.startsWith(LESSON_STREAM_PREFIX)) ids.add(event.streamId.slice(LESSON_STREAM_PREFIX.length));
  }
  return [...ids];
}
