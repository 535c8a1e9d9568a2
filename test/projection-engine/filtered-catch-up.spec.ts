/**
 * An instance catching up reads only its projection's event types (SubscribeOptions.eventTypes): the rest of the
 * log stays in the database, yet the rows, the checkpoint and the count of events processed are what reading
 * everything gives.
 */
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../contracts/envelope.js';
import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import { given } from '../../projections/machinery/testing.js';
import type { SqlClient, SqlExecutor } from '../../src/database/sql-client.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { outcomeRun } from './support/outcome-history.js';
import { normaliseRows, outcomeCountRows, readEverything } from './support/read-model.js';
import { eventually } from './support/eventually.js';

/** Counts the event rows the log reads of a store bring back. */
function countingRowsRead(sql: SqlClient): { sql: SqlClient; rows: () => number } {
  let rows = 0;
  const isLogRead = (text: string) => /FROM events/.test(text) && /ORDER BY transaction_id, global_position\s+LIMIT/.test(text);
  const counted: SqlClient = Object.create(sql) as SqlClient;
  counted.query = (async (text: string, params?: unknown[], options?: Parameters<SqlExecutor['query']>[2]) => {
    const result = await sql.query(text, params, options);
    if (isLogRead(text)) rows += result.rows.length;
    return result;
  }) as SqlClient['query'];
  return { sql: counted, rows: () => rows };
}

function others(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: 'UnrelatedProbe',
    schemaVersion: 1,
    data: { i },
    metadata: { occurredAt: '2026-01-01T00:00:00.000Z', source: 'test' },
  }));
}

describe('catching up on a projection’s own event types', () => {
  let db: TestDatabase;
  afterEach(async () => {
    await db?.close();
  });

  it('reads a fraction of a mixed log, and ends with the rows, checkpoint and counts of reading all of it', async () => {
    db = await openTestDatabase();
    for (let run = 0; run < 8; run++) {
      await db.store.appendMany([outcomeRun('mixed', run, 10)]);
      await db.store.appendToStream(`other-${run}`, others(40));
    }
    const total = (await readEverything(db.store)).length;
    expect(total).toBe(8 * 50);
    const counting = countingRowsRead(db.sql);
    const store = new SqlEventStore(counting.sql);
    const engine = new ProjectionEngine({
      sql: db.sql,
      store,
      projections: [outcomeCounts],
      options: { processor: { batchSize: 25, readBatchSize: 20, pollIntervalMs: 100, leaseTtlMs: 5000, instanceCheckMs: 100 } },
    });
    try {
      await engine.start();
      const [id] = [...engine.runningProcessors().keys()];
      await engine.runningProcessors().get(id!)!.whenCaughtUp();
      const expected = async () => normaliseRows(given(outcomeCounts, await readEverything(db.store)).rows('outcome_counts'));
      expect(await outcomeCountRows(db.sql, id!)).toEqual(await expected());
      // 80 outcomes and the head; reading everything would have brought back 400 rows.
      expect(counting.rows()).toBeLessThanOrEqual(80 + 5);
      const head = await db.store.headPosition();
      const [caughtUp] = await engine.status();
      expect(caughtUp).toMatchObject({ state: 'live', eventsProcessed: total, lag: { events: 0 } });
      expect((await engine.instance(id!)).checkpoint).toEqual(head);

      // Live, every event is read again (and counted), whatever its type.
      await db.store.appendToStream('other-live', others(7));
      await db.store.appendMany([outcomeRun('mixed', 8, 10)]);
      await eventually(async () => (await engine.instance(id!)).eventsProcessed === total + 17, 'the live events');
      expect(await outcomeCountRows(db.sql, id!)).toEqual(await expected());
    } finally {
      await engine.stop();
      await store.close();
    }
  });
});
