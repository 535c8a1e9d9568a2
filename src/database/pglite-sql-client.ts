import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import type { QueryResult, SqlClient, SqlExecutor } from './sql-client.js';
import { AsyncMutex } from './async-mutex.js';
import { assertChannelName, DatabaseUnavailableError, describeDriverError } from './database-errors.js';
import { acquireDirectoryLock, type DirectoryLock } from './directory-lock.js';

export interface PgliteSqlClientOptions {
  /** A directory to persist in (created if missing), or `memory://` (the default) for an in-memory database. */
  dataDir?: string;
  /** Start from a `dumpDataDir()` tarball instead of running initdb (much faster; used by tests). */
  loadDataDir?: Blob | File;
}

type Listener = (payload: string) => void;

/** Marks the async context of a holder of the mutex, so a nested call fails loudly instead of deadlocking. */
const holder = new AsyncLocalStorage<{ client: PgliteSqlClient; active: boolean }>();

/**
 * SqlClient over ONE in-process PGlite. PGlite is a single session that runs one statement at a time, and
 * its own locks do not keep a plain query out of someone else's open transaction, so every access goes
 * through one mutex here, held for a whole transaction. Other code that needs the raw instance (the TypeORM
 * driver) must use `exclusive()` so it queues behind the same mutex.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private readonly mutex = new AsyncMutex();
  private readonly listeners = new Map<string, { listeners: Set<Listener>; stop: () => Promise<void> }>();
  private closed = false;

  /** `dispose` runs at close(), once nothing else can use the instance (by default: closes it). */
  constructor(
    readonly db: PGlite,
    private readonly dispose: (db: PGlite) => Promise<void> = (instance) => instance.close(),
  ) {}

  /** Runs fn with the raw PGlite while nobody else can touch it. Not re-entrant. */
  exclusive<T>(fn: (db: PGlite) => Promise<T>): Promise<T> {
    const current = holder.getStore();
    if (current?.client === this && current.active) {
      return Promise.reject(
        new Error('PGlite client used re-entrantly: inside transaction()/exclusive(), use the executor or db you were given'),
      );
    }
    if (this.closed) return Promise.reject(new Error('SqlClient is closed'));
    return this.mutex.run(() => {
      const mark = { client: this, active: true };
      return holder.run(mark, () => fn(this.db)).finally(() => (mark.active = false));
    });
  }

  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    return this.exclusive((db) => runQuery<R>(db, sql, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(async (db) => {
      await db.exec('BEGIN');
      let open = true;
      const tx: SqlExecutor = {
        query: <R>(sql: string, params?: unknown[]) => {
          if (!open) return Promise.reject(new Error('Transaction is already finished'));
          return runQuery<R>(db, sql, params);
        },
      };
      try {
        const result = await fn(tx);
        open = false;
        // COMMIT of a transaction that hit an error reports ROLLBACK instead of failing.
        const [commit] = await db.exec('COMMIT');
        if (commit?.command === 'ROLLBACK') throw new Error('Transaction was aborted and rolled back at COMMIT');
        return result;
      } catch (error) {
        if (open) {
          open = false;
          await db.exec('ROLLBACK');
        }
        throw error;
      }
    });
  }

  async listen(channel: string, onNotify: Listener): Promise<() => Promise<void>> {
    assertChannelName(channel);
    let entry = this.listeners.get(channel);
    if (!entry) {
      const set = new Set<Listener>();
      const stop = await this.exclusive((db) => db.listen(channel, (payload) => set.forEach((l) => l(payload))));
      entry = { listeners: set, stop: () => this.exclusive(() => stop()) };
      this.listeners.set(channel, entry);
    }
    entry.listeners.add(onNotify);
    const registered = entry;
    return async () => {
      if (!registered.listeners.delete(onNotify) || registered.listeners.size > 0) return;
      if (this.listeners.get(channel) === registered) this.listeners.delete(channel);
      if (!this.closed) await registered.stop();
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Queue behind whatever is running, then refuse newcomers.
    await this.mutex.run(async () => {
      this.closed = true;
    });
    const channels = [...this.listeners.keys()];
    this.listeners.clear();
    for (const channel of channels) await this.db.unlisten(channel).catch(() => undefined);
    await this.dispose(this.db);
  }
}

async function runQuery<R>(db: PGlite, sql: string, params?: unknown[]): Promise<QueryResult<R>> {
  const result = await db.query<R>(sql, params);
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

/** int8 as a string, the same as node-postgres, so callers see one convention on both engines. */
export const sameAsNodePostgres = { [types.INT8]: (value: string) => value };

export async function openPgliteSqlClient(options: PgliteSqlClientOptions = {}): Promise<PgliteSqlClient> {
  const dataDir = options.dataDir ?? 'memory://';
  const inMemory = dataDir.startsWith('memory://');
  let lock: DirectoryLock | undefined;
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true });
    lock = await acquireDirectoryLock(dataDir);
  }
  try {
    const db = await PGlite.create({
      ...(inMemory ? {} : { dataDir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: sameAsNodePostgres,
    });
    return new PgliteSqlClient(db, async (instance) => {
      try {
        await instance.close();
      } finally {
        await lock?.release();
      }
    });
  } catch (error) {
    await lock?.release();
    throw new DatabaseUnavailableError(`Cannot open the embedded database at ${dataDir}: ${describeDriverError(error)}`, {
      cause: error,
    });
  }
}
