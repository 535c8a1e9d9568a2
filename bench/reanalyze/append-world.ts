/** Appends generated events in their order, in chunks of many streams each (appendMany), one stream once per chunk. */
import type { EventStore, StreamAppend } from '../../src/event-store/event-store.port.js';
import type { PlantedEvent } from './planted-world.js';

export async function appendWorld(store: EventStore, events: Iterable<PlantedEvent>, chunkSize = 5000, onChunk?: (done: number) => void): Promise<void> {
  let appends: StreamAppend[] = [];
  let seen = new Set<string>();
  let size = 0;
  let done = 0;
  const flush = async () => {
    if (appends.length > 0) await store.appendMany(appends);
    done += size;
    onChunk?.(done);
    appends = [];
    seen = new Set();
    size = 0;
  };
  for (const event of events) {
    const last = appends[appends.length - 1];
    if (last && last.streamId === event.streamId) {
      last.events.push(stripStream(event));
    } else {
      if (seen.has(event.streamId) || size >= chunkSize) await flush();
      seen.add(event.streamId);
      appends.push({ streamId: event.streamId, events: [stripStream(event)] });
    }
    size += 1;
  }
  await flush();
}

function stripStream({ streamId: _streamId, ...event }: PlantedEvent) {
  return event;
}
