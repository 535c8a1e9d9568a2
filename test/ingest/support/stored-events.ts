import type { SqlClient } from '../../../src/database/sql-client.js';

/**
 * What the events table holds, read with plain SQL. The store's readAll/countAfter only show events below the
 * cluster-wide transaction horizon, which other sessions on a shared PostgreSQL server can hold back for a
 * while; a test asking "what was written" must not depend on that.
 */
export async function storedEvents(sql: SqlClient): Promise<{ streamId: string; eventId: string }[]> {
  const { rows } = await sql.query<{ stream_id: string; event_id: string }>(
    'SELECT stream_id, event_id::text AS event_id FROM events ORDER BY global_position',
  );
  return rows.map((r) => ({ streamId: r.stream_id, eventId: r.event_id }));
}

export async function storedEventCount(sql: SqlClient): Promise<number> {
  const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0]!.n;
}
