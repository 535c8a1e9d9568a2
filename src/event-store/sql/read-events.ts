import type { Position, RecordedEvent } from '../../../contracts/envelope.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import { EVENT_COLUMNS, positionParams, toRecordedEvent, visibleHorizon, type EventRow, type HorizonEngine } from './event-rows.js';

/** A stream's events in revision order. Not held back by the horizon: a writer reads its own appends. */
export async function selectStreamEvents(
  sql: SqlExecutor,
  streamId: string,
  fromRevision: bigint,
  maxCount: number | undefined,
): Promise<RecordedEvent[]> {
  const { rows } = await sql.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE stream_id = $1 AND stream_revision >= $2
      ORDER BY stream_revision
      LIMIT $3`,
    [streamId, fromRevision.toString(), maxCount ?? null],
  );
  return rows.map(toRecordedEvent);
}

/** The global log after a position (exclusive), in (transaction_id, global_position) order. */
export async function selectAllEvents(
  sql: SqlExecutor,
  engine: HorizonEngine,
  after: Position | undefined,
  maxCount: number | undefined,
): Promise<RecordedEvent[]> {
  const { rows } = await sql.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
        AND ${visibleHorizon(engine)}
      ORDER BY transaction_id, global_position
      LIMIT $3`,
    [...positionParams(after), maxCount ?? null],
  );
  return rows.map(toRecordedEvent);
}

export async function selectHeadPosition(sql: SqlExecutor, engine: HorizonEngine): Promise<Position | null> {
  const { rows } = await sql.query<{ transaction_id: string; global_position: string }>(
    `SELECT transaction_id, global_position FROM events
      WHERE ${visibleHorizon(engine)}
      ORDER BY transaction_id DESC, global_position DESC
      LIMIT 1`,
  );
  const row = rows[0];
  return row ? { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) } : null;
}

export async function countEventsAfter(sql: SqlExecutor, engine: HorizonEngine, after: Position | undefined): Promise<number> {
  const { rows } = await sql.query<{ count: string }>(
    `SELECT count(*) AS count FROM events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
        AND ${visibleHorizon(engine)}`,
    positionParams(after),
  );
  return Number(rows[0]?.count ?? 0);
}
