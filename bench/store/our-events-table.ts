import type { NewEvent } from '../../contracts/envelope.js';

/**
 * The baselines work on our store's table directly (cursor read) or on a bare copy of its columns (COPY).
 * Mirrors src/database/migrations/0001_event_store.ts; `bareTableDriftSql` lets the COPY run refuse to
 * measure when the two have drifted apart.
 */
export const EVENTS_TABLE = 'events';
export const READ_ALL_ORDER = 'transaction_id, global_position';
export const BARE_TABLE = 'bench_raw_events';
/** A copy of the events table with all its indexes, constraints and defaults (LIKE ... INCLUDING ALL). */
export const INDEXED_TABLE = 'bench_indexed_events';
export const indexedTableDdl = `CREATE TABLE IF NOT EXISTS ${INDEXED_TABLE} (LIKE ${EVENTS_TABLE} INCLUDING ALL)`;

/** Columns the client supplies, as our store's insert does; the others take the same server-side defaults. */
export const CLIENT_COLUMNS = [
  'stream_id',
  'stream_revision',
  'event_id',
  'type',
  'schema_version',
  'data',
  'metadata',
  'occurred_at',
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
    event.metadata.occurredAt,
  ];
}

/**
 * Same columns, types and defaults (position sequence, transaction id, record time) as the events table;
 * no primary key, unique constraints, NOT NULL, checks, secondary index or trigger.
 */
export const bareTableDdl = `CREATE TABLE IF NOT EXISTS ${BARE_TABLE} (
  global_position bigserial,
  transaction_id xid8 DEFAULT pg_current_xact_id(),
  stream_id text,
  stream_revision bigint,
  event_id uuid,
  type text,
  schema_version int,
  data jsonb,
  metadata jsonb,
  occurred_at timestamptz,
  recorded_at timestamptz DEFAULT now()
)`;

/** Columns (name and type) that one of the two tables has and the other lacks; no rows: they match. */
export const bareTableDriftSql = `
WITH cols AS (
  SELECT table_name, column_name, data_type FROM information_schema.columns
   WHERE table_schema = current_schema() AND table_name IN ('${EVENTS_TABLE}', '${BARE_TABLE}')
)
SELECT column_name, data_type, min(table_name) AS only_in FROM cols
 GROUP BY column_name, data_type HAVING count(*) = 1`;
