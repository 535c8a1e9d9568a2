/** The whole log in global order, a page at a time (a reader never holds more than one page of events). */
import type { Position, RecordedEvent } from '../../../contracts/envelope.js';
import type { EventStore } from '../../event-store/event-store.port.js';

export const SCAN_PAGE = 2000;

export async function* scanLog(store: EventStore, pageSize = SCAN_PAGE): AsyncGenerator<RecordedEvent> {
  let after: Position | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after ? { after } : {}), maxCount: pageSize });
    if (page.length === 0) return;
    for (const event of page) yield event;
    after = page[page.length - 1]!.position;
  }
}
