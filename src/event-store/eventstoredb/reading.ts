import {
  BACKWARDS,
  END,
  FORWARDS,
  type AllStreamRecordedEvent,
  type Direction,
  type EventStoreDBClient,
  type ReadPosition,
  type ReadRevision,
  type RecordedEvent as ClientRecordedEvent,
} from '@eventstore/db-client';
import { comparePositions, type Position } from '../../../contracts/envelope.js';
import { isStreamNotFound } from './errors.js';
import { fromClientPosition, isSystemEventType, toReadPosition } from './positions.js';

export interface StreamReadOptions {
  fromRevision: ReadRevision;
  maxCount: number;
  direction: Direction;
}

/** One stream, collected. A stream that does not exist reads as empty. */
export async function readStreamRecords(
  client: EventStoreDBClient,
  streamId: string,
  options: StreamReadOptions,
): Promise<ClientRecordedEvent[]> {
  const records: ClientRecordedEvent[] = [];
  try {
    for await (const resolved of client.readStream(streamId, options)) {
      if (resolved.event) records.push(resolved.event);
    }
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
  return records;
}

const isUserEvent = (event: AllStreamRecordedEvent) => !isSystemEventType(event.type);

/** Reads one page of $all. Injected into the scans below so their paging can be tested without a server. */
export type AllPageReader = (from: ReadPosition, direction: Direction, maxCount: number) => Promise<AllStreamRecordedEvent[]>;

export function clientPageReader(client: EventStoreDBClient): AllPageReader {
  return async (fromPosition, direction, maxCount) => {
    const records: AllStreamRecordedEvent[] = [];
    for await (const resolved of client.readAll({ fromPosition, direction, maxCount })) {
      if (resolved.event) records.push(resolved.event);
    }
    return records;
  };
}

/**
 * Visits the accepted (by default: non-system) events strictly after `after`, in log order, page by page, until `visit`
 * returns false or the log ends. A page may start with the event at the cursor (the server's read is
 * inclusive of its start position): everything at or before the cursor is skipped.
 */
export async function scanAllForwards(
  readPage: AllPageReader,
  after: Position | undefined,
  pageSize: number,
  visit: (event: AllStreamRecordedEvent, position: Position) => boolean | void,
  accept: (event: AllStreamRecordedEvent) => boolean = isUserEvent,
): Promise<void> {
  if (pageSize < 2) throw new RangeError('pageSize must be at least 2');
  let cursor = after;
  for (;;) {
    const page = await readPage(toReadPosition(cursor), FORWARDS, pageSize);
    const before = cursor;
    for (const event of page) {
      const position = fromClientPosition(event.position);
      if (cursor !== undefined && comparePositions(position, cursor) <= 0) continue;
      cursor = position;
      if (!accept(event)) continue;
      if (visit(event, position) === false) return;
    }
    if (page.length < pageSize || cursor === before) return;
  }
}

/** The newest accepted event, reading $all backwards page by page past any trailing system events. */
export async function findLastUserEvent(
  readPage: AllPageReader,
  pageSize: number,
  accept: (event: AllStreamRecordedEvent) => boolean = isUserEvent,
): Promise<AllStreamRecordedEvent | null> {
  if (pageSize < 2) throw new RangeError('pageSize must be at least 2');
  let cursor: Position | undefined;
  for (;;) {
    const from: ReadPosition = cursor === undefined ? END : { commit: cursor.commit, prepare: cursor.prepare };
    const page = await readPage(from, BACKWARDS, pageSize);
    const before = cursor;
    for (const event of page) {
      const position = fromClientPosition(event.position);
      if (cursor !== undefined && comparePositions(position, cursor) >= 0) continue;
      cursor = position;
      if (accept(event)) return event;
    }
    if (page.length < pageSize || cursor === before) return null;
  }
}
