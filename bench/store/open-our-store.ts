import type { EventStore } from '../../src/event-store/event-store.port.js';
import type { Backend } from './jobs.js';

/** Opens lessonloop's SQL event store on a benchmark backend (schema created if missing). */
export async function openOurStore(backend: Backend): Promise<EventStore> {
  throw new Error(`lessonloop's SQL event store is not in the tree yet (${backend.kind})`);
}
