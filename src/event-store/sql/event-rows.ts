import type { Position, RecordedEvent } from '../../../contracts/envelope.js';

/**
 * The columns every read selects, in the shape both engines return them (int8/xid8 as strings). The record
 * time travels as epoch milliseconds: a number becomes a Date far cheaper than a timestamptz text is parsed,
 * which shows in a rebuild reading millions of events (Date holds milliseconds, so nothing is lost).
 */
export const EVENT_COLUMNS =
  'global_position, transaction_id, stream_id, stream_revision, event_id, type, schema_version, data, metadata, ' +
  'floor(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms';

export interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_ms: number;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const globalPosition = BigInt(row.global_position);
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.transaction_id), prepare: globalPosition },
    globalPosition,
    recordedAt: new Date(row.recorded_ms),
  };
}

/**
 * A position as the two SQL parameters of `(transaction_id, global_position) > ($n::xid8, $m::bigint)`.
 * Transaction ids start above 2, so START (-1, -1) becomes (0, -1): before everything.
 */
export function positionParams(after: Position | undefined): [string, string] {
  if (!after || after.commit < 0n) return ['0', '-1'];
  return [after.commit.toString(), after.prepare.toString()];
}

/**
 * Only rows of transactions below the horizon, where nothing can commit behind them later. PGlite (one
 * session): the oldest transaction still running. PostgreSQL: the oldest one still running *that could write
 * events*. A snapshot's xmin is the oldest running transaction of the whole cluster, so an open writing
 * transaction in another database would hold back every reader here for as long as it stays open; a
 * transaction cannot write to another database, so those (matched to their backend's database through
 * pg_stat_activity, on the low 32 bits of the xid8) are skipped, and the horizon is the oldest remaining running
 * one, or the snapshot's xmax when none is left (every later transaction gets an id at or above it). A running
 * transaction whose backend cannot be seen (another role without pg_read_all_stats, or it ended meanwhile) is
 * kept: when unsure, the horizon stays where the plain xmin would put it. Transactions of this database (a
 * projection's batch, an append) still hold it back.
 */
export type HorizonEngine = 'postgres' | 'pglite';

const PGLITE_HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())';
const POSTGRES_HORIZON = `(
  SELECT coalesce(
    (SELECT min(x) FROM pg_snapshot_xip(s) AS x
      WHERE NOT EXISTS (
        SELECT 1 FROM pg_stat_activity a
         WHERE a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
           AND a.backend_xid::text::numeric = x::text::numeric % 4294967296)),
    pg_snapshot_xmax(s))
  FROM pg_current_snapshot() AS s)`;

/** The horizon itself: the transaction id every readable row is below (an xid8 expression). */
export function horizonBound(engine: HorizonEngine): string {
  return engine === 'postgres' ? POSTGRES_HORIZON : PGLITE_HORIZON;
}

export function visibleHorizon(engine: HorizonEngine): string {
  return `transaction_id < ${horizonBound(engine)}`;
}
