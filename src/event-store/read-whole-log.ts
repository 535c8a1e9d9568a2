/**
 * Every readable event of the log, in log order (or every one after `after`), for the folds that need the whole
 * log. With `atLeast`, first waits (up to `waitMs`) until that position is readable: the read horizon can hold
 * back a fresh commit while an older transaction is open.
 */
import { comparePositions, type Position, type RecordedEvent } from '../../contracts/envelope.js';
import type { EventStore } from './event-store.port.js';

export interface ReadWholeLogOptions {
  atLeast?: Position;
  waitMs?: number;
  pageSize?: number;
  after?: Position;
}

export async function readWholeLog(store: EventStore, options: ReadWholeLogOptions = {}): Promise<RecordedEvent[]> {
  const { atLeast, waitMs = 5000, pageSize = 5000 } = options;
  if (atLeast) {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const head = await store.headPosition();
      if ((head && comparePositions(head, atLeast) >= 0) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const all: RecordedEvent[] = [];
  let after: Position | undefined = options.after;
  for (;;) {
    const page = await store.readAll({ ...(after ? { after } : {}), maxCount: pageSize });
    all.push(...page);
    if (page.length < pageSize) return all;
    after = page[page.length - 1]!.position;
  }
}
