import type { NewEvent, Position } from '../../../contracts/envelope.js';
import { ConcurrencyError, type ExpectedRevision } from '../event-store.port.js';
import { expectedRevisionHolds } from './revisions.js';

/**
 * What the adapter knows about a stream before writing: its last revision and the ids of its newest
 * events (the idempotency window, read backwards from the end).
 */
export interface StreamTail {
  /** Revision of the stream's last event; null when the stream does not exist. */
  revision: bigint | null;
  /** Position of the stream's last event, when it was read. */
  lastPosition?: Position;
  known: Map<string, { revision: bigint; position?: Position }>;
}

export type AppendPlan =
  /** Nothing to write: no events were given. */
  | { kind: 'empty'; streamId: string; revision: bigint | null; lastPosition?: Position }
  /** Every id is already stored: an idempotent replay, reported with the stored copy of the last one. */
  | { kind: 'replay'; streamId: string; revision: bigint; storedAt: { revision: bigint; position?: Position } }
  | { kind: 'write'; streamId: string; events: NewEvent[]; expected: ExpectedRevision; revisionBefore: bigint | null };

/**
 * Decides what an append must write. Events whose id is already in the window are dropped (the port's
 * rule: re-appending a stored id is a no-op); a batch made only of stored ids succeeds as a no-op whatever
 * its expected revision, like EventStoreDB's own answer to a retried write. Otherwise the expected
 * revision is checked here first, so appendMany can refuse a conflict before writing anything; the
 * server checks it again at write time.
 */
export function planAppend(streamId: string, events: NewEvent[], expected: ExpectedRevision, tail: StreamTail): AppendPlan {
  if (events.length === 0) {
    if (!expectedRevisionHolds(expected, tail.revision)) {
      throw new ConcurrencyError(streamId, expected, tail.revision ?? 'no_stream');
    }
    return { kind: 'empty', streamId, revision: tail.revision, lastPosition: tail.lastPosition };
  }
  const seen = new Set<string>();
  const unique = events.filter((e) => (seen.has(e.eventId) ? false : (seen.add(e.eventId), true)));
  const fresh = unique.filter((e) => !tail.known.has(e.eventId));
  if (fresh.length === 0 && tail.revision !== null) {
    const storedAt = tail.known.get(unique[unique.length - 1].eventId)!;
    return { kind: 'replay', streamId, revision: tail.revision, storedAt };
  }
  if (!expectedRevisionHolds(expected, tail.revision)) {
    throw new ConcurrencyError(streamId, expected, tail.revision ?? 'no_stream');
  }
  return { kind: 'write', streamId, events: fresh, expected, revisionBefore: tail.revision };
}

/** The tail as it will be once `plan` is written (for a stream that appears twice in one appendMany). */
export function tailAfter(tail: StreamTail, plan: AppendPlan): StreamTail {
  if (plan.kind !== 'write') return tail;
  const known = new Map(tail.known);
  let revision = tail.revision ?? -1n;
  for (const event of plan.events) {
    revision += 1n;
    known.set(event.eventId, { revision });
  }
  return { revision, known };
}
