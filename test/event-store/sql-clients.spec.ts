import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openPgliteSqlClient, type PgliteSqlClient } from '../../src/database/pglite-sql-client.js';
import { migrate } from '../../src/database/migrate.js';
import { acquireDirectoryLock } from '../../src/database/directory-lock.js';
import { openDatabase } from '../../src/database/open-database.js';
import { DatabaseUnavailableError } from '../../src/database/database-errors.js';
import type { SqlClient } from '../../src/database/sql-client.js';
import { openTestDatabase } from '../support/test-database.js';

describe('SqlClient on the test database', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let sql: SqlClient;
  beforeAll(async () => {
    db = await openTestDatabase();
    sql = db.sql;
  });
  afterAll(() => db.close());

  it('returns int8 and xid8 as strings, int4 as numbers, timestamptz as Date, jsonb parsed', async () => {
    const { rows } = await sql.query<Record<string, unknown>>(
      `SELECT 9007199254740993::int8 AS big, 1::int8 AS small, count(*) AS n, 7::int4 AS i,
              pg_current_xact_id() AS x, now() AS t, '{"a":[1]}'::jsonb AS j`,
    );
    expect(rows[0]).toMatchObject({ big: '9007199254740993', small: '1', i: 7, j: { a: [1] } });
    expect(typeof rows[0]!.n).toBe('string');
    expect(typeof rows[0]!.x).toBe('string');
    expect(rows[0]!.t).toBeInstanceOf(Date);
  });

  it('commits a transaction and rolls one back when it throws', async () => {
    await sql.query('CREATE TABLE tx_probe (n int)');
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe VALUES (1)');
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await sql.query<{ n: number }>('SELECT n FROM tx_probe ORDER BY n');
    expect(rows.map((r) => r.n)).toEqual([1]);
  });

  it('keeps other callers out of an open transaction', async () => {
    await sql.query('CREATE TABLE isolation_probe (n int)');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = sql.transaction(async (t) => {
      await t.query('INSERT INTO isolation_probe VALUES (1)');
      await held;
      throw new Error('rolled back on purpose');
    });
    // On PGlite this query waits for the transaction; on PostgreSQL it runs on another session.
    const outside = sql.query<{ n: string }>('SELECT count(*) AS n FROM isolation_probe');
    await new Promise((r) => setTimeout(r, 50));
    release();
    await expect(tx).rejects.toThrow('rolled back on purpose');
    expect((await outside).rows[0]!.n).toBe('0');
  });

  it('delivers NOTIFY to listeners and stops after unlisten', async () => {
    const seen: string[] = [];
    const stop = await sql.listen('probe_channel', (p) => seen.push(p));
    await sql.query(`SELECT pg_notify('probe_channel', 'one')`);
    await waitFor(() => seen.length === 1);
    await stop();
    await sql.query(`SELECT pg_notify('probe_channel', 'two')`);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(['one']);
  });

  const onPostgres = process.env.DATABASE_URL ? it : it.skip;
  onPostgres(
    `listens again after the listening connection is lost${process.env.DATABASE_URL ? '' : ' (not run: DATABASE_URL is not set)'}`,
    async () => {
      const seen: string[] = [];
      const stop = await sql.listen('probe_relisten', (p) => seen.push(p));
      const killed = await sql.query<{ n: string }>(
        `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
          WHERE application_name = 'lessonloop-listen' AND datname = current_database()`,
      );
      expect(killed.rows[0]!.n).toBe('1');
      const deadline = Date.now() + 10_000;
      while (seen.length === 0 && Date.now() < deadline) {
        await sql.query(`SELECT pg_notify('probe_relisten', 'back')`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(seen[0]).toBe('back');
      await stop();
    },
  );

  it('refuses channel names that are not plain identifiers', async () => {
    await expect(sql.listen('x; DROP TABLE events', () => undefined)).rejects.toThrow('Invalid notification channel');
  });

  it('re-running the migrations applies nothing', async () => {
    expect(await migrate(sql)).toEqual([]);
  });

  it('refuses a migration whose statements changed after it was applied', async () => {
    await migrate(sql, [{ id: '9000_probe', statements: ['CREATE TABLE probe_a (n int)'] }]);
    await expect(migrate(sql, [{ id: '9000_probe', statements: ['CREATE TABLE probe_b (n int)'] }])).rejects.toThrow(
      'was changed after it was applied',
    );
  });
});

describe('PGlite SqlClient', () => {
  it('fails loudly on re-entrant use instead of deadlocking', async () => {
    const db = await openTestDatabase({ engine: 'pglite' });
    const client = db.sql as PgliteSqlClient;
    try {
      await expect(client.transaction(() => client.query('SELECT 1'))).rejects.toThrow('re-entrantly');
      await expect(client.exclusive(() => client.exclusive(async () => 1))).rejects.toThrow('re-entrantly');
      expect((await client.query<{ v: number }>('SELECT 1 AS v')).rows[0]!.v).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('runs exclusive() work between, never inside, other callers\' transactions', async () => {
    const db = await openTestDatabase({ engine: 'pglite' });
    const client = db.sql as PgliteSqlClient;
    try {
      await client.query('CREATE TABLE raw_probe (n int)');
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const tx = client.transaction(async (t) => {
        await t.query('INSERT INTO raw_probe VALUES (1)');
        await held;
        throw new Error('rolled back on purpose');
      });
      // What the TypeORM driver does: its own BEGIN/COMMIT on the raw instance.
      const raw = client.exclusive(async (pglite) => {
        await pglite.exec('BEGIN');
        await pglite.query('INSERT INTO raw_probe VALUES (2)');
        await pglite.exec('COMMIT');
      });
      await new Promise((r) => setTimeout(r, 30));
      release();
      await expect(tx).rejects.toThrow('rolled back on purpose');
      await raw;
      expect((await client.query<{ n: number }>('SELECT n FROM raw_probe')).rows).toEqual([{ n: 2 }]);
    } finally {
      await db.close();
    }
  });

  it('persists under a directory and refuses a second opener of the same directory', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-pglite-'));
    let first: PgliteSqlClient | undefined;
    try {
      first = await openPgliteSqlClient({ dataDir: path.join(dir, 'pgdata') });
      await first.query('CREATE TABLE kept (n int)');
      await first.query('INSERT INTO kept VALUES (42)');
      await expect(openPgliteSqlClient({ dataDir: path.join(dir, 'pgdata') })).rejects.toThrow('already open');
      await first.close();
      first = await openPgliteSqlClient({ dataDir: path.join(dir, 'pgdata') });
      expect((await first.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    } finally {
      await first?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock file left by a dead process', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-lock-'));
    try {
      await writeFile(path.join(dir, 'lessonloop.lock'), '999999999');
      const lock = await acquireDirectoryLock(dir);
      expect(JSON.parse(await readFile(path.join(dir, 'lessonloop.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
      await lock.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('openDatabase', () => {
  it('says plainly when PostgreSQL is unreachable', async () => {
    const attempt = openDatabase({
      DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/nothing',
      LESSONLOOP_DATA_DIR: './.lessonloop',
      PORT: 0,
      LOG_LEVEL: 'info',
    } as never);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(attempt).rejects.toThrow(/PostgreSQL is unreachable at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nothing/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
