import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Column, Entity, PrimaryColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { loadAppConfig } from '../../src/config/app-config.js';
import { openPgliteSqlClient, type PgliteSqlClient } from '../../src/database/pglite-sql-client.js';
import { migrate } from '../../src/database/migrate.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import { openReadModelDataSource, READ_MODEL_MIGRATIONS_TABLE } from '../../src/read-models/read-model-data-source.js';

@Entity({ name: 'rm_test_counter' })
class Counter {
  @PrimaryColumn('text') name!: string;
  @Column('bigint') value!: string;
  @Column('timestamptz') updatedAt!: Date;
}

class CreateCounter1700000000000 implements MigrationInterface {
  name = 'CreateCounter1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rm_test_counter (name text PRIMARY KEY, value bigint NOT NULL, "updatedAt" timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE rm_test_log (seq serial PRIMARY KEY, who text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rm_test_log');
    await q.query('DROP TABLE rm_test_counter');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TypeORM read models on the shared PGlite', () => {
  let sql: PgliteSqlClient;
  let ds: DataSource;

  beforeAll(async () => {
    Logger.overrideLogger(false); // TypeORM's migration messages go to Nest's static logger outside an app
    sql = await openPgliteSqlClient();
    await migrate(sql);
    ds = await openReadModelDataSource(loadAppConfig({}), sql, { entities: [Counter], migrations: [CreateCounter1700000000000] });
  });

  afterAll(async () => {
    await ds?.destroy();
    await sql?.close();
  });

  it('runs the registered migrations at start and records them in its own table', async () => {
    const { rows } = await sql.query<{ name: string }>(`SELECT name FROM ${READ_MODEL_MIGRATIONS_TABLE}`);
    expect(rows.map((r) => r.name)).toEqual(['CreateCounter1700000000000']);
  });

  it('returns values the way node-postgres does on PostgreSQL (bigint as string, timestamptz as Date)', async () => {
    const repo = ds.getRepository(Counter);
    await repo.save({ name: 'a', value: '9007199254740993', updatedAt: new Date('2026-01-02T03:04:05Z') });
    const row = await repo.findOneByOrFail({ name: 'a' });
    expect(row.value).toBe('9007199254740993');
    expect(row.updatedAt).toBeInstanceOf(Date);
    expect(row.updatedAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    const result = await repo.update({ name: 'a' }, { value: '1' });
    expect(result.affected).toBe(1);
  });

  it('rolls back a failed TypeORM transaction', async () => {
    await expect(
      ds.transaction(async (em) => {
        await em.insert(Counter, { name: 'doomed', value: '1', updatedAt: new Date() });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await ds.getRepository(Counter).countBy({ name: 'doomed' })).toBe(0);
  });

  it('never runs SqlClient transactions inside an open TypeORM transaction', async () => {
    const order: string[] = [];
    // Writes through the SqlClient (the event store's path) fired while a TypeORM transaction is open and sleeping.
    const tx = ds.transaction(async (em) => {
      order.push('orm:begin');
      await em.query(`INSERT INTO rm_test_log (who) VALUES ('orm')`);
      await sleep(50);
      const seen = await em.query(`SELECT count(*)::int AS n FROM rm_test_log WHERE who = 'store'`);
      order.push(`orm:sees-store-rows=${seen[0].n}`);
      throw new Error('roll the ORM transaction back');
    });
    await sleep(5);
    const storeWrites = Array.from({ length: 5 }, (_, i) =>
      sql.transaction(async (q) => {
        order.push(`store:${i}`);
        await q.query(`INSERT INTO rm_test_log (who) VALUES ('store')`);
      }),
    );
    await expect(tx).rejects.toThrow('roll the ORM transaction back');
    await Promise.all(storeWrites);

    // The ORM rollback must not have taken the store's writes with it, and none ran inside it.
    const { rows } = await sql.query<{ who: string; n: number }>(
      `SELECT who, count(*)::int AS n FROM rm_test_log GROUP BY who ORDER BY who`,
    );
    expect(rows).toEqual([{ who: 'store', n: 5 }]);
    expect(order.slice(0, 2)).toEqual(['orm:begin', 'orm:sees-store-rows=0']);
    expect(order.slice(2)).toEqual(['store:0', 'store:1', 'store:2', 'store:3', 'store:4']);
  });

  it('never lets event-store appends land inside a TypeORM transaction, which then rolls back without them', async () => {
    const store = new SqlEventStore(sql);
    const timeline: string[] = [];
    const tx = ds.transaction(async (em) => {
      timeline.push('orm:begin');
      await em.query(`INSERT INTO rm_test_log (who) VALUES ('orm-around-appends')`);
      await sleep(50);
      const seen = await em.query(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'interleave-%'`);
      timeline.push(`orm:sees-events=${seen[0].n}`);
      timeline.push('orm:rollback');
      throw new Error('roll back');
    });
    await sleep(5);
    const appends = Array.from({ length: 5 }, (_, i) =>
      store
        .appendToStream(`interleave-${i}`, [
          { eventId: randomUUID(), type: 'Probe', schemaVersion: 1, data: { i }, metadata: { occurredAt: new Date().toISOString(), source: 'test' } },
        ])
        .then(() => timeline.push(`store:appended-${i}`)),
    );
    await expect(tx).rejects.toThrow('roll back');
    await Promise.all(appends);
    await store.close();

    expect(timeline.slice(0, 3)).toEqual(['orm:begin', 'orm:sees-events=0', 'orm:rollback']);
    expect(timeline.slice(3).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `store:appended-${i}`));
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'interleave-%'`);
    expect(rows[0]!.n).toBe(5);
    const orm = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM rm_test_log WHERE who = 'orm-around-appends'`);
    expect(orm.rows[0]!.n).toBe(0);
  });

  it('keeps a TypeORM query out of an open SqlClient transaction', async () => {
    const seen: number[] = [];
    const storeTx = sql.transaction(async (q) => {
      await q.query(`INSERT INTO rm_test_log (who) VALUES ('uncommitted')`);
      await sleep(50);
      throw new Error('abort the store transaction');
    });
    await sleep(5);
    const ormRead = ds
      .query(`SELECT count(*)::int AS n FROM rm_test_log WHERE who = 'uncommitted'`)
      .then((r: Array<{ n: number }>) => seen.push(r[0]!.n));
    await expect(storeTx).rejects.toThrow('abort the store transaction');
    await ormRead;
    expect(seen).toEqual([0]);
  });

  it('rolls back and frees the database when a query runner is released mid-transaction', async () => {
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`INSERT INTO rm_test_log (who) VALUES ('abandoned')`);
    await runner.release();
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM rm_test_log WHERE who = 'abandoned'`);
    expect(rows[0]!.n).toBe(0);
  });
});
