import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { QueryOptions, QueryResult, SqlClient, SqlExecutor } from './sql-client.js';
import { assertChannelName, DatabaseUnavailableError, describeDriverError } from './database-errors.js';

export interface PgSqlClientOptions {
  connectionString: string;
  /** Pool size; the default leaves room for 8 concurrent writers plus readers. */
  max?: number;
  connectTimeoutMs?: number;
}

type Listener = (payload: string) => void;

/**
 * SqlClient over a `pg` Pool. pg's default type parsing already matches the SqlClient conventions
 * (int8/xid8/numeric as strings), and it is configured per pool, never through pg's global type registry.
 */
export class PgSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private listenerConnection: Promise<pg.Client> | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private closed = false;

  constructor(private readonly options: PgSqlClientOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 12,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: 'lessonloop',
    });
    // An idle pooled client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    // Nor may a checked-out one between two queries (pg emits 'error' on the client then, and an 'error' with
    // no listener ends the process): the next query on it fails and the pool drops it on release.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  async query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    const result = options?.name
      ? await this.pool.query({ name: options.name, text: sql, values: params })
      : await this.pool.query(sql, params);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await fn(transactionExecutor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
        throw error;
      }
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: destroy it instead of pooling it.
      client.release(broken);
    }
  }

  async listen(channel: string, onNotify: Listener): Promise<() => Promise<void>> {
    assertChannelName(channel);
    const connection = await this.listenerClient();
    if (!this.listeners.has(channel)) {
      await connection.query(`LISTEN ${channel}`);
      if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    }
    this.listeners.get(channel)!.add(onNotify);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(onNotify) || current.size > 0) return;
      this.listeners.delete(channel);
      if (!this.closed && this.listenerConnection) {
        const client = await this.listenerConnection.catch(() => undefined);
        await client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const listener = this.listenerConnection;
    this.listenerConnection = null;
    this.listeners.clear();
    if (listener) await listener.then((c) => c.end()).catch(() => undefined);
    await this.pool.end();
  }

  /**
   * One dedicated connection carries every LISTEN. If it breaks, it is reopened in the background and every
   * channel is listened to again; notifications sent in between are lost, which is why they are only
   * wake-ups and readers also poll.
   */
  private listenerClient(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('SqlClient is closed'));
    if (!this.listenerConnection) {
      const client = new pg.Client({ connectionString: this.options.connectionString, application_name: 'lessonloop-listen' });
      const opening = client.connect().then(() => client);
      client.on('notification', (message) => {
        for (const listener of this.listeners.get(message.channel) ?? []) listener(message.payload ?? '');
      });
      const lost = () => {
        if (this.listenerConnection !== opening) return;
        this.listenerConnection = null;
        client.end().catch(() => undefined);
        this.scheduleRelisten();
      };
      client.on('error', lost);
      client.on('end', lost);
      this.listenerConnection = opening;
      opening.catch(() => {
        if (this.listenerConnection === opening) this.listenerConnection = null;
      });
    }
    return this.listenerConnection;
  }

  private reconnectTimer: NodeJS.Timeout | undefined;

  private scheduleRelisten(delayMs = 1000): void {
    if (this.closed || this.listeners.size === 0) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.listenerClient()
        .then(async (client) => {
          for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
        })
        .catch(() => this.scheduleRelisten(Math.min(delayMs * 2, 30_000)));
    }, delayMs);
    this.reconnectTimer.unref();
  }
}

function transactionExecutor(client: pg.PoolClient): SqlExecutor {
  return {
    async query<R>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
      const result = options?.name ? await client.query({ name: options.name, text: sql, values: params }) : await client.query(sql, params);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async copyFrom(sql: string, data: Iterable<string> | AsyncIterable<string>): Promise<number> {
      const stream = client.query(copyFromStdin(sql));
      await pipeline(Readable.from(inChunks(data), { objectMode: false }), stream);
      return stream.rowCount;
    },
  };
}

/** Joins small pieces into ~256 KiB writes: one socket write per row would dominate the cost of COPY. */
async function* inChunks(data: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  const limit = 256 * 1024;
  let parts: string[] = [];
  let size = 0;
  for await (const piece of data) {
    parts.push(piece);
    size += piece.length;
    if (size >= limit) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** Opens a pool and proves the server answers, with an error that says where it tried. */
export async function openPgSqlClient(options: PgSqlClientOptions): Promise<PgSqlClient> {
  const client = new PgSqlClient(options);
  try {
    await client.query('SELECT 1');
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new DatabaseUnavailableError(
      `PostgreSQL is unreachable at ${redactUrl(options.connectionString)} (DATABASE_URL): ${describeDriverError(error)}`,
      { cause: error },
    );
  }
  return client;
}

export function redactUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
