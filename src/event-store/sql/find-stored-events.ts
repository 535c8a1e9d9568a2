import type { SqlExecutor } from '../../database/sql-client.js';

export interface StoredEventRef {
  streamId: string;
  streamRevision: bigint;
  globalPosition: bigint;
  transactionId: bigint;
}

/** Which of these event ids are already stored, and where: the idempotency check of every append. */
export async function findStoredEvents(sql: SqlExecutor, eventIds: string[]): Promise<Map<string, StoredEventRef>> {
  const found = new Map<string, StoredEventRef>();
  if (eventIds.length === 0) return found;
  const { rows } = await sql.query<{
    event_id: string;
    stream_id: string;
    stream_revision: string;
    global_position: string;
    transaction_id: string;
  }>(
    `SELECT event_id, stream_id, stream_revision, global_position, transaction_id
       FROM events WHERE event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  for (const row of rows) {
    found.set(row.event_id, {
      streamId: row.stream_id,
      streamRevision: BigInt(row.stream_revision),
      globalPosition: BigInt(row.global_position),
      transactionId: BigInt(row.transaction_id),
    });
  }
  return found;
}
