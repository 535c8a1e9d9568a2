/**
 * The one seam between lessonloop's SQL and the database that runs it: PostgreSQL through a `pg` pool,
 * or PGlite in-process. The event store, migrations and projection engine all speak through it, so the
 * same SQL runs on both.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * Value conventions, identical on both engines: int8/bigint, numeric and xid8 come back as strings (convert
 * with BigInt() where needed), int4 as number, timestamptz as Date, json/jsonb parsed. Pass bigints as strings.
 */
export interface QueryOptions {
  /**
   * PostgreSQL: parse and plan the statement once per connection under this name, then reuse it (a hot
   * statement saves its planning on every call). A name must always go with the same SQL text. PGlite ignores it.
   */
  name?: string;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /**
   * PostgreSQL only (absent on PGlite): runs `COPY ... FROM STDIN` and streams `data` in order (text format
   * chunks, every row ending with a newline). Resolves with the number of rows copied.
   */
  copyFrom?(sql: string, data: Iterable<string> | AsyncIterable<string>): Promise<number>;
}

export interface SqlClient extends SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction on one session; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; returns the function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const SQL_CLIENT = Symbol('SQL_CLIENT');
