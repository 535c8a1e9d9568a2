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

/** Only rows of transactions below the oldest one still running: nothing can commit behind them later. */
export const VISIBLE_HORIZON = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
