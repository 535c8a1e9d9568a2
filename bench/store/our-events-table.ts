import type { NewEvent } from '../../contracts/envelope.js';

/**
 * The baselines work on our store's table directly (cursor read) or on a bare copy of its columns (COPY).
 * Keep this in step with src/event-store/sql/ — `checkBareTableMatches` fails the run when they drift.
 */
export const EVENTS_TABLE = 'events';
export const READ_ALL_ORDER = 'transaction_id, global_position';
export const BARE_TABLE = 'bench_raw_events';

/** Columns the client supplies; the others take the server-side defaults the store also relies on. */
export const CLIENT_COLUMNS = [
  'stream_id',
  'stream_revision',
  'event_id',
  'type',
  'schema_version',
  'data',
  'metadata',
] as const;

export function clientValues(streamId: string, revision: number, event: NewEvent): (string | number)[] {
  return [
    streamId,
    revision,
    event.eventId,
    event.type,
    event.schemaVersion,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
  ];
}

/** Same columns and types as the events table; no keys, indexes, checks or triggers. */
export function bareTableDdl(): string {
  return `CREATE TABLE IF NOT EXISTS ${BARE_TABLE} (
    global_position bigserial,
    transaction_id xid8 DEFAULT pg_current_xact_id(),
    stream_id text,
    stream_revision bigint,
    event_id uuid,
    type text,
    schema_version int,
    data jsonb,
    metadata jsonb,
    recorded_at timestamptz DEFAULT now()
  )`;
}
