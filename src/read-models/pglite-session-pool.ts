import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';

/** The part of PgliteSqlClient this needs: the raw instance and its one mutex. */
export interface SharedPglite {
  readonly db: PGlite;
  exclusive<T>(fn: (db: PGlite) => Promise<T>): Promise<T>;
}

export interface PgliteSessionPoolOptions {
  /** Told when a checkout has held the database longer than `slowHoldMs` (likely a forgotten release or a deadlock). */
  onWarning?: (message: string) => void;
  slowHoldMs?: number;
}

type Release = (error?: unknown) => void;
type ConnectCallback = (error: Error | null, client?: pg.Client, release?: Release) => void;

/**
 * A `pg`-module stand-in for TypeORM's postgres driver (its `driver` option) that runs on the application's
 * one PGlite instead of a server. TypeORM asks it for a Pool; every checkout (one TypeORM query runner, so
 * one whole transaction) holds the shared client's mutex from connect() to release(), so event-store work
 * never lands between two statements of a TypeORM transaction, and the other way round.
 *
 * The connection is a real node-postgres Client talking the wire protocol to PGlite through PGlite's own
 * node-postgres adapter, so results (int8/numeric as strings, Dates, command and rowCount) are exactly what
 * TypeORM gets from PostgreSQL.
 *
 * It behaves like a pg pool of size 1: code holding a query runner (for example inside
 * `dataSource.transaction()`) must not use another runner, the SqlClient or the event store before it
 * finishes — that call would wait for the lock its own caller holds.
 */
export function pgliteDriverModule(shared: SharedPglite, options: PgliteSessionPoolOptions = {}): { Pool: new () => PgliteSessionPool } {
  return {
    Pool: class extends PgliteSessionPool {
      constructor() {
        super(shared, options);
      }
    },
  };
}

export class PgliteSessionPool extends EventEmitter {
  private client: pg.Client | null = null;
  private ended = false;

  constructor(
    private readonly shared: SharedPglite,
    private readonly options: PgliteSessionPoolOptions = {},
  ) {
    super();
  }

  /** pg-pool's callback form, the one TypeORM uses. */
  connect(callback: ConnectCallback): void {
    this.checkout().then(
      ([client, release]) => callback(null, client, release),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  checkout(): Promise<[pg.Client, Release]> {
    return new Promise((resolve, reject) => {
      this.shared
        .exclusive(async () => {
          if (this.ended) throw new Error('The read-model database pool is closed');
          const client = await this.session();
          let unlock!: () => void;
          const held = new Promise<void>((r) => (unlock = r));
          const watchdog = this.startWatchdog();
          let released = false;
          resolve([
            client,
            (error?: unknown) => {
              if (released) return;
              released = true;
              clearTimeout(watchdog);
              void this.settle(client, error).finally(unlock);
            },
          ]);
          await held;
        })
        .catch(reject);
    });
  }

  /** pg-pool's `end`: drops the client. It does not close PGlite, which belongs to the SqlClient. */
  end(callback?: (error?: Error | null) => void): Promise<void> {
    this.ended = true;
    const client = this.client;
    this.client = null;
    const done = client ? client.end().catch(() => undefined) : Promise.resolve();
    return done.then(() => callback?.(null));
  }

  private async session(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client(createPgConfig(this.shared.db) as unknown as pg.ClientConfig);
    client.on('error', (error) => this.emit('error', error));
    await client.connect();
    this.client = client;
    return client;
  }

  /** Leaves the session clean for the next holder of the mutex. */
  private async settle(client: pg.Client, error: unknown): Promise<void> {
    try {
      if (error) {
        // pg-pool's contract: a client released with an error is not reused.
        if (this.client === client) this.client = null;
        await client.end().catch(() => undefined);
      }
      if (!this.shared.db.closed && this.shared.db.isInTransaction()) {
        this.options.onWarning?.('A TypeORM query runner was released inside an open transaction; rolling it back');
        await (error ? this.shared.db.exec('ROLLBACK') : client.query('ROLLBACK'));
      }
    } catch (cleanupError) {
      this.options.onWarning?.(`Cleaning up a released PGlite session failed: ${String(cleanupError)}`);
    }
  }

  private startWatchdog(): NodeJS.Timeout {
    const ms = this.options.slowHoldMs ?? 30_000;
    const timer = setTimeout(() => {
      this.options.onWarning?.(
        `A TypeORM query runner has held the embedded database for over ${ms} ms; event-store work is waiting. ` +
          'Is a query runner not released, or is the store used inside a TypeORM transaction?',
      );
    }, ms);
    timer.unref();
    return timer;
  }
}
