/**
 * Waits until everything stored so far is readable through the store's ordered read. On PostgreSQL the read
 * horizon holds back a commit while an older transaction on the server (another test file's) is open, so a
 * catch-up started right after an append could stop short of it.
 */
import { comparePositions } from '../../contracts/envelope.js';
import type { SqlClient } from '../../src/database/sql-client.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';

export async function waitUntilReadable(sql: SqlClient, store: EventStore, waitMs = 30_000): Promise<void> {
  const { rows } = await sql.query<{ c: string; p: string }>(
    'SELECT transaction_id::text AS c, global_position::text AS p FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
  );
  const last = rows[0];
  if (!last) return;
  const target = { commit: BigInt(last.c), prepare: BigInt(last.p) };
  const deadline = Date.now() + waitMs;
  for (;;) {
    const head = await store.headPosition();
    if (head && comparePositions(head, target) >= 0) return;
    if (Date.now() > deadline) throw new Error('the stored events did not become readable');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
