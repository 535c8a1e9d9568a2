import pg from 'pg';
import { describeEventStoreContract, describeSqlEventStoreGuarantees, testEvent, testEvents } from './event-store.contract.js';
import { openSqlSubject } from './sql-subject.js';
import { describeFilteredCatchUp, describeFilteredCatchUpUnderLateCommit } from './filtered-catch-up.contract.js';
import { openTestDatabase } from '../support/test-database.js';
import { appendStreams } from '../../src/event-store/sql/append-streams.js';
import type { QueryResult, SqlExecutor } from '../../src/database/sql-client.js';

const url = process.env.DATABASE_URL?.trim();

if (url) {
  describeEventStoreContract('PostgreSQL', () => openSqlSubject({ engine: 'postgres' }));
  describeSqlEventStoreGuarantees('PostgreSQL', () => openSqlSubject({ engine: 'postgres' }));
  describeFilteredCatchUp('PostgreSQL', () => openSqlSubject({ engine: 'postgres' }));
  describeFilteredCatchUpUnderLateCommit('PostgreSQL', () => openSqlSubject({ engine: 'postgres' }));

  describe('PostgreSQL global order under a late committer', () => {
    it('holds back events committed after an older open transaction, where a sequence checkpoint would lose it', async () => {
      const db = await openTestDatabase({ engine: 'postgres' });
      const dbUrl = new URL(url);
      const name = (await db.sql.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
      dbUrl.pathname = `/${name}`;
      const slow = new pg.Client({ connectionString: dbUrl.toString() });
      await slow.connect();
      try {
        // The slow writer takes its sequence value first and stays open.
        await slow.query('BEGIN');
        const early = testEvent();
        await appendStreams(executor(slow), [{ streamId: 'slow', events: [early] }], { useCopy: () => false, insertChunkSize: 1000 });
        const fast = await db.store.appendToStream('fast', testEvents(2));

        const naive = await db.sql.query<{ stream_id: string }>('SELECT stream_id FROM events ORDER BY global_position');
        expect(naive.rows.map((r) => r.stream_id)).toEqual(['fast', 'fast']);
        // A reader checkpointing on global_position would now store the fast events' position and skip the
        // slow one forever. The store shows nothing until the older transaction has finished.
        expect(await db.store.readAll()).toEqual([]);
        expect(await db.store.headPosition()).toBeNull();
        expect((await db.store.readStream('fast')).length).toBe(2);

        await slow.query('COMMIT');
        const all = await db.store.readAll();
        expect(all.map((e) => e.streamId)).toEqual(['slow', 'fast', 'fast']);
        expect(all[0]!.eventId).toBe(early.eventId);
        expect(all[0]!.globalPosition).toBeLessThan(all[1]!.globalPosition);
        expect(all[2]!.position).toEqual(fast.position);
      } finally {
        await slow.query('ROLLBACK').catch(() => undefined);
        await slow.end();
        await db.close();
      }
    });

    it('uses COPY for large appendMany batches and still reports every position', async () => {
      const db = await openTestDatabase({ engine: 'postgres', store: { copyThreshold: 100 } });
      try {
        const results = await db.store.appendMany([
          { streamId: 'a', events: testEvents(150, (i) => ({ data: { i, text: 'tab\t nl\n cr\r bs\\ \\N' } })) },
          { streamId: 'b', events: testEvents(50) },
        ]);
        expect(results.map((r) => r.appended)).toEqual([150, 50]);
        const a = await db.store.readStream('a');
        expect(a).toHaveLength(150);
        expect(a[7]!.data).toEqual({ i: 7, text: 'tab\t nl\n cr\r bs\\ \\N' });
        expect(a[149]!.position).toEqual(results[0]!.position);
        // Replaying the same batch through COPY's path writes nothing.
        const again = await db.store.appendMany([{ streamId: 'a', events: a.map((e) => ({ ...e })) }]);
        expect(again[0]!.appended).toBe(0);
        expect(await db.store.countAfter()).toBe(200);
      } finally {
        await db.close();
      }
    });
  });
} else {
  describe.skip('PostgreSQL event store contract not run: DATABASE_URL is not set', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}

function executor(client: pg.Client): SqlExecutor {
  return {
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      const result = await client.query(sql, params);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
  };
}
