/**
 * The one seam between lessonloop's SQL and the database that runs it: PostgreSQL through a `pg` pool,
 * or PGlite in-process. The event store, migrations and projection engine all speak through it, so the
 * same SQL runs on both.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
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
