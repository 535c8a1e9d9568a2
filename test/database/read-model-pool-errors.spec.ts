/**
 * The read models' TypeORM pool on PostgreSQL: a connection cut while a query runner holds its client (between
 * two queries) must not end the process. pg emits 'error' on that client, which only the pool's idle listener
 * would have caught; the data source gives every client a listener that logs it. The runner's next query fails,
 * the pool drops the dead client on release, and the next query is served by a new connection.
 * PostgreSQL pass only: PGlite has no pool and no connection to lose.
 */
import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/config/app-config.js';
import { openPgSqlClient } from '../../src/database/pg-sql-client.js';
import type { SqlClient } from '../../src/database/sql-client.js';
import { openReadModelDataSource } from '../../src/read-models/read-model-data-source.js';

const databaseUrl = process.env.DATABASE_URL?.trim();
const describeOnPostgres = databaseUrl ? describe : describe.skip;
const name = `lessonloop_rm_pool_${process.pid}`;

async function admin<R extends pg.QueryResultRow>(statement: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(statement, params)).rows;
  } finally {
    await client.end();
  }
}

describeOnPostgres('read-model pool: a checked-out client losing its connection (PostgreSQL pass only: PGlite has no pool)', () => {
  let sql: SqlClient;
  let ds: DataSource;
  const warnings: string[] = [];

  beforeAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    Logger.overrideLogger({ log: () => undefined, error: () => undefined, warn: (m: unknown) => void warnings.push(String(m)), debug: () => undefined, verbose: () => undefined });
    sql = await openPgSqlClient({ connectionString: url.toString() });
    ds = await openReadModelDataSource(loadAppConfig({ DATABASE_URL: url.toString() }), sql, { migrations: [] });
  });

  afterAll(async () => {
    await ds?.destroy();
    await sql?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    Logger.overrideLogger(false);
  });

  it('logs the lost connection, keeps the process, and serves the next query on a new connection', async () => {
    const runner = ds.createQueryRunner();
    await runner.connect();
    const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
    const [{ terminated }] = await admin<{ terminated: boolean }>('SELECT pg_terminate_backend($1) AS terminated', [pid]);
    expect(terminated).toBe(true);
    for (let waited = 0; warnings.length === 0 && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(warnings).toEqual([expect.stringMatching(/^a read-model database connection was lost: terminating connection due to administrator command/)]);
    await expect(runner.query('SELECT 1')).rejects.toThrow();
    await runner.release();
    const [{ next }] = (await ds.query('SELECT pg_backend_pid() AS next')) as [{ next: number }];
    expect(next).not.toBe(pid);
  });
});
