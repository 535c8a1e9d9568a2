/**
 * A fresh, migrated database per call, so every test starts from nothing:
 * - DATABASE_URL unset: an in-memory PGlite, started from a cached tarball of an already-migrated database
 *   (a new PGlite runs initdb, which takes seconds; loading the tarball takes a fraction of that), and
 *   wiped and reused by the next test of the same file once closed;
 * - DATABASE_URL set: a new database created on that server, dropped again by close().
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { SqlClient } from '../../src/database/sql-client.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import type { PGlite } from '@electric-sql/pglite';
import { openPgliteSqlClient, PgliteSqlClient } from '../../src/database/pglite-sql-client.js';
import { openPgSqlClient } from '../../src/database/pg-sql-client.js';
import { migrate } from '../../src/database/migrate.js';
import { migrations } from '../../src/database/migrations/index.js';
import { SqlEventStore, type SqlEventStoreOptions } from '../../src/event-store/sql/sql-event-store.js';

export interface TestDatabase {
  sql: SqlClient;
  /** A SqlEventStore over `sql` (no catalogue validation: wrap it with withCatalogue() if you need that). */
  store: EventStore;
  /** Closes the store and the client; on PostgreSQL also drops the database. */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  store?: SqlEventStoreOptions;
  /** Force an engine; by default PostgreSQL when DATABASE_URL is set, else PGlite. */
  engine?: 'pglite' | 'postgres';
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL?.trim();
  const engine = options.engine ?? (url ? 'postgres' : 'pglite');
  if (engine === 'postgres' && !url) throw new Error('openTestDatabase: PostgreSQL asked for, but DATABASE_URL is not set');
  const { sql, dispose } = engine === 'postgres' ? await openPostgresDatabase(url!) : await openPgliteDatabase();
  const store = new SqlEventStore(sql, options.store);
  let closed = false;
  return {
    sql,
    store,
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
      await sql.close();
      await dispose();
    },
  };
}

async function openPostgresDatabase(url: string): Promise<{ sql: SqlClient; dispose(): Promise<void> }> {
  const name = `lessonloop_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(url, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  try {
    const sql = await openPgSqlClient({ connectionString: dbUrl.toString() });
    await migrate(sql);
    return { sql, dispose: () => withAdmin(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
  } catch (error) {
    await withAdmin(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    throw error;
  }
}

async function withAdmin(url: string, fn: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    await admin.end();
  }
}

/**
 * PGlite instances of this test file that are free again. Closing a test database wipes its instance back
 * to a freshly migrated state (every schema dropped, session state discarded) and keeps it for the next
 * test: far cheaper than starting another WASM Postgres, and it keeps memory flat.
 */
const idle: PGlite[] = [];
const started = new Set<PGlite>();

// A live PGlite keeps an Emscripten timer running, so every instance is closed when the test file ends
// (a root-level hook, registered by importing this module), even one a test forgot to close; otherwise
// jest would never exit.
if (typeof afterAll === 'function') {
  afterAll(async () => {
    idle.length = 0;
    await Promise.all([...started].filter((db) => !db.closed).map((db) => db.close()));
    started.clear();
  });
}

async function openPgliteDatabase(): Promise<{ sql: SqlClient; dispose(): Promise<void> }> {
  let db = idle.pop();
  if (!db) {
    const template = await migratedTemplate();
    db = (await openPgliteSqlClient({ loadDataDir: template })).db;
    started.add(db);
  }
  const sql = new PgliteSqlClient(db, async (instance) => {
    if (instance.closed) return;
    await wipe(instance);
    idle.push(instance);
  });
  await migrate(sql);
  return { sql, dispose: async () => undefined };
}

async function wipe(db: PGlite): Promise<void> {
  await db.exec('ROLLBACK').catch(() => undefined);
  await db.exec(`
    DO $$
    DECLARE s text;
    BEGIN
      FOR s IN SELECT nspname FROM pg_namespace
                WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_%'
      LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', s);
      END LOOP;
    END $$;
    CREATE SCHEMA public;`);
  await db.exec('DISCARD ALL');
}

let templatePromise: Promise<File> | undefined;

/** One tarball per set of migrations and PGlite version, shared by test files through the temp directory. */
function migratedTemplate(): Promise<File> {
  templatePromise ??= (async () => {
    const pgliteVersion = await readFile(path.resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8').catch(
      () => 'unknown',
    );
    const key = createHash('sha256').update(pgliteVersion).update(JSON.stringify(migrations)).digest('hex').slice(0, 16);
    const file = path.join(os.tmpdir(), `lessonloop-pglite-template-${key}.tar`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return new File([cached], 'template.tar');
    const fresh = await openPgliteSqlClient();
    try {
      await migrate(fresh);
      const dump = await fresh.exclusive((db) => db.dumpDataDir('none'));
      const bytes = Buffer.from(await dump.arrayBuffer());
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(partial, bytes);
      await rename(partial, file);
      return new File([bytes], 'template.tar');
    } finally {
      await fresh.close();
    }
  })();
  return templatePromise;
}
