import type { NewEvent } from '../../../contracts/envelope.js';
import type { SqlExecutor } from '../../database/sql-client.js';

export interface EventToInsert {
  streamId: string;
  streamRevision: bigint;
  event: NewEvent;
}

export interface InsertedEvent {
  streamId: string;
  streamRevision: bigint;
  globalPosition: bigint;
  transactionId: bigint;
}

const insertUnnestSql = `
INSERT INTO events (stream_id, stream_revision, event_id, type, schema_version, data, metadata, occurred_at)
SELECT stream_id, stream_revision, event_id, type, schema_version, data::jsonb, metadata::jsonb, occurred_at
  FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[], $8::timestamptz[])
       AS e(stream_id, stream_revision, event_id, type, schema_version, data, metadata, occurred_at)
RETURNING stream_id, stream_revision, global_position, transaction_id`;

/** Multi-row INSERT over unnest'ed arrays, one statement per chunk: eight parameters whatever the size. */
export async function insertEventsUnnest(sql: SqlExecutor, rows: EventToInsert[], chunkSize: number): Promise<InsertedEvent[]> {
  const inserted: InsertedEvent[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const result = await sql.query<PositionRow>(insertUnnestSql, [
      chunk.map((r) => r.streamId),
      chunk.map((r) => r.streamRevision.toString()),
      chunk.map((r) => r.event.eventId),
      chunk.map((r) => r.event.type),
      chunk.map((r) => r.event.schemaVersion),
      chunk.map((r) => JSON.stringify(r.event.data ?? null)),
      chunk.map((r) => JSON.stringify(r.event.metadata)),
      chunk.map((r) => r.event.metadata.occurredAt),
    ]);
    for (const row of result.rows) inserted.push(toInserted(row));
  }
  return inserted;
}

const copySql = `COPY events (stream_id, stream_revision, event_id, type, schema_version, data, metadata, occurred_at)
FROM STDIN (FORMAT text)`;

/** PostgreSQL's COPY straight into events; the defaults still fill transaction_id and global_position. */
export async function copyEvents(sql: SqlExecutor, rows: EventToInsert[]): Promise<void> {
  if (!sql.copyFrom) throw new Error('COPY is not available on this database');
  const copied = await sql.copyFrom(copySql, copyLines(rows));
  if (copied !== rows.length) throw new Error(`COPY wrote ${copied} of ${rows.length} events`);
}

function* copyLines(rows: EventToInsert[]): Generator<string> {
  for (const { streamId, streamRevision, event } of rows) {
    yield `${copyText(streamId)}\t${streamRevision}\t${copyText(event.eventId)}\t${copyText(event.type)}\t${event.schemaVersion}\t${copyText(
      JSON.stringify(event.data ?? null),
    )}\t${copyText(JSON.stringify(event.metadata))}\t${copyText(event.metadata.occurredAt)}\n`;
  }
}

/** COPY text format: backslash, tab, newline and carriage return must be escaped; nothing else. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : value;
}

/** After COPY (which returns nothing), the global positions of given (stream, revision) pairs. */
export async function selectGlobalPositions(
  sql: SqlExecutor,
  keys: Array<{ streamId: string; streamRevision: bigint }>,
): Promise<InsertedEvent[]> {
  const { rows } = await sql.query<PositionRow>(
    `SELECT e.stream_id, e.stream_revision, e.global_position, e.transaction_id
       FROM unnest($1::text[], $2::bigint[]) AS k(stream_id, stream_revision)
       JOIN events e ON e.stream_id = k.stream_id AND e.stream_revision = k.stream_revision`,
    [keys.map((k) => k.streamId), keys.map((k) => k.streamRevision.toString())],
  );
  return rows.map(toInserted);
}

interface PositionRow {
  stream_id: string;
  stream_revision: string;
  global_position: string;
  transaction_id: string;
}

function toInserted(row: PositionRow): InsertedEvent {
  return {
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    globalPosition: BigInt(row.global_position),
    transactionId: BigInt(row.transaction_id),
  };
}

export const EVENTS_CHANNEL = 'lessonloop_events';

/** A wake-up for subscribers, delivered when the transaction commits. Polling stays the source of truth. */
export async function notifyAppended(sql: SqlExecutor): Promise<void> {
  await sql.query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`);
}
