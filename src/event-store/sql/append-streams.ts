import type { NewEvent } from '../../../contracts/envelope.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import { ConcurrencyError, type AppendResult, type ExpectedRevision, type StreamAppend } from '../event-store.port.js';
import { findStoredEvents, type StoredEventRef } from './find-stored-events.js';
import { currentRevision, reserveRevisions, satisfies, type RevisionRequest } from './reserve-revisions.js';
import {
  copyEvents,
  insertEventsUnnest,
  notifyAppended,
  selectGlobalPositions,
  type EventToInsert,
  type InsertedEvent,
} from './insert-events.js';

export interface AppendStreamsOptions {
  /** Whether to COPY this many rows (PostgreSQL only) instead of INSERTing them. */
  useCopy(rowCount: number): boolean;
  /** Rows per unnest INSERT statement. */
  insertChunkSize: number;
  /**
   * false: assume no event is stored yet and skip the lookup (for large imports, where it costs ~15%). A
   * replayed event then fails the append on the event_id unique key, and the caller must retry with checks.
   */
  checkStored?: boolean;
}

interface PendingAppend {
  index: number;
  streamId: string;
  expected: ExpectedRevision;
  events: NewEvent[];
}

/**
 * Every append of the batch inside the caller's transaction: all are written or none is.
 * 1. events whose id is already stored are dropped (an append left with nothing is a replay: its stored
 *    result comes back with appended = 0 and its expected revision is not checked);
 * 2. the streams rows are moved forward by compare-and-set, which also locks them;
 * 3. the events are inserted (unnest INSERT, or COPY for large batches on PostgreSQL);
 * 4. a NOTIFY wakes subscribers once the transaction commits.
 */
export async function appendStreams(
  tx: SqlExecutor,
  appends: StreamAppend[],
  options: AppendStreamsOptions,
): Promise<AppendResult[]> {
  const allIds = collectEventIds(appends);
  const stored = options.checkStored === false ? new Map<string, StoredEventRef>() : await findStoredEvents(tx, allIds);
  const results: AppendResult[] = new Array(appends.length);
  const pending: PendingAppend[] = [];

  for (const [index, append] of appends.entries()) {
    const expected = normalizeExpected(append.expectedRevision);
    if (append.events.length === 0) {
      results[index] = await emptyAppend(tx, append.streamId, expected);
      continue;
    }
    const fresh = append.events.filter((event) => !stored.has(event.eventId.toLowerCase()));
    if (fresh.length === 0) {
      results[index] = replayResult(stored.get(append.events[append.events.length - 1]!.eventId.toLowerCase())!);
    } else {
      pending.push({ index, streamId: append.streamId, expected, events: fresh });
    }
  }
  if (pending.length === 0) return results;

  const reservation = await reserveRevisions(tx, revisionRequests(pending));
  if (!reservation.ok) throw new ConcurrencyError(reservation.streamId, reservation.expected, reservation.actual);

  const rows: EventToInsert[] = [];
  const lastKeys: Array<{ streamId: string; streamRevision: bigint }> = [];
  const running = new Map<string, bigint>();
  for (const append of pending) {
    let revision = running.get(append.streamId);
    if (revision === undefined) {
      revision = reservation.reservations.get(append.streamId)!.previousRevision;
    } else if (!satisfies(append.expected, revision < 0n ? 'no_stream' : revision)) {
      // A later append to a stream already appended to in this batch is checked against the batch's effect.
      throw new ConcurrencyError(append.streamId, append.expected, revision < 0n ? 'no_stream' : revision);
    }
    for (const event of append.events) rows.push({ streamId: append.streamId, streamRevision: ++revision, event });
    running.set(append.streamId, revision);
    lastKeys.push({ streamId: append.streamId, streamRevision: revision });
  }

  let positions: InsertedEvent[];
  if (options.useCopy(rows.length)) {
    await copyEvents(tx, rows);
    positions = await selectGlobalPositions(tx, lastKeys);
  } else {
    positions = await insertEventsUnnest(tx, rows, options.insertChunkSize);
  }
  const byKey = new Map(positions.map((p) => [key(p.streamId, p.streamRevision), p]));
  for (const [i, append] of pending.entries()) {
    const last = byKey.get(key(lastKeys[i]!.streamId, lastKeys[i]!.streamRevision))!;
    results[append.index] = {
      nextExpectedRevision: last.streamRevision,
      position: { commit: last.transactionId, prepare: last.globalPosition },
      globalPosition: last.globalPosition,
      appended: append.events.length,
    };
  }
  await notifyAppended(tx);
  return results;
}

function key(streamId: string, revision: bigint): string {
  return `${revision}\u0000${streamId}`;
}

/** One reservation per stream (a batch may append to a stream twice), checked with its first expectation. */
function revisionRequests(pending: PendingAppend[]): RevisionRequest[] {
  const requests = new Map<string, RevisionRequest>();
  for (const append of pending) {
    const existing = requests.get(append.streamId);
    if (existing) existing.count += append.events.length;
    else requests.set(append.streamId, { streamId: append.streamId, count: append.events.length, expected: append.expected });
  }
  return [...requests.values()];
}

/** An event id given twice in one call is a caller bug, not a replay: refuse it rather than guess. */
export function collectEventIds(appends: StreamAppend[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const append of appends) {
    for (const event of append.events) {
      const id = event.eventId.toLowerCase();
      if (seen.has(id)) throw new Error(`Event id ${event.eventId} appears more than once in one append`);
      seen.add(id);
      ids.push(event.eventId);
    }
  }
  return ids;
}

/** -1n is accepted as a spelling of no_stream; any other negative revision is a mistake. */
export function normalizeExpected(expected: ExpectedRevision | undefined): ExpectedRevision {
  if (expected === undefined) return 'any';
  if (typeof expected === 'bigint' && expected < 0n) {
    if (expected === -1n) return 'no_stream';
    throw new RangeError(`Expected revision must be >= -1, got ${expected}`);
  }
  return expected;
}

function replayResult(last: StoredEventRef): AppendResult {
  return {
    nextExpectedRevision: last.streamRevision,
    position: { commit: last.transactionId, prepare: last.globalPosition },
    globalPosition: last.globalPosition,
    appended: 0,
  };
}

/** Appending nothing still checks the expectation, and reports where the stream stands. */
async function emptyAppend(tx: SqlExecutor, streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
  const actual = await currentRevision(tx, streamId);
  if (!satisfies(expected, actual)) throw new ConcurrencyError(streamId, expected, actual);
  if (actual === 'no_stream') {
    return { nextExpectedRevision: -1n, position: { commit: -1n, prepare: -1n }, globalPosition: -1n, appended: 0 };
  }
  const [last] = await selectGlobalPositions(tx, [{ streamId, streamRevision: actual }]);
  return {
    nextExpectedRevision: actual,
    position: { commit: last!.transactionId, prepare: last!.globalPosition },
    globalPosition: last!.globalPosition,
    appended: 0,
  };
}
