/**
 * The event envelope shared by every producer and the store. No I/O here: an eval runner can import
 * this file (and the domain catalogues beside it) on its own.
 */

/** Facts about an event that are not its payload. `occurredAt` is world time, not record time. */
export interface EventMetadata {
  /** ISO-8601 instant when it happened in the world (the eval's run time, the commit's time). */
  occurredAt: string;
  correlationId?: string;
  causationId?: string;
  /** Where the fact came from: `gptme-csv:20260822_025022Z`, `api`, `git:<sha>`, `policy`... */
  source: string;
  actor?: string;
}

/** An event as a producer hands it to the store. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  /** A uuid. Re-appending an event whose id is already stored is a no-op. */
  eventId: string;
  type: TType;
  schemaVersion: number;
  data: TData;
  metadata: EventMetadata;
}

/**
 * A position in the store's global order. Events are totally ordered by (commit, prepare).
 * PostgreSQL/PGlite: commit = the appending transaction id (xid8), prepare = the global sequence.
 * EventStoreDB: its own commit/prepare log positions.
 */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

/** An event as the store hands it back: the envelope plus what the store added. */
export interface RecordedEvent<TType extends string = string, TData = unknown> extends NewEvent<TType, TData> {
  streamId: string;
  /** 0 for a stream's first event. */
  streamRevision: bigint;
  position: Position;
  /** A unique, increasing-per-append number for display and evidence references. */
  globalPosition: bigint;
  recordedAt: Date;
}

export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function isAfter(a: Position, b: Position): boolean {
  return comparePositions(a, b) > 0;
}
