import { EventStoreUnavailableError } from '../event-store/event-store.port.js';
import { DatabaseUnavailableError, sqlState } from './database-errors.js';
import type { SqlExecutor } from './sql-client.js';

/**
 * Why a request failed when the cause is the database rather than the request: it cannot be reached (retry
 * later), or it answers without lessonloop's schema (recreated empty: retrying will not help until someone
 * restores it). Anything else is not database trouble.
 */
export type DatabaseTrouble =
  | { kind: 'unavailable'; store: 'database' | 'event store'; detail: string }
  | { kind: 'undefined-relation'; detail: string };

/** Socket errors of a lost or refused connection (pg reports them with the Node error code). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** pg's own messages for a connection that broke or never opened; they carry no code. */
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i;

/**
 * SQLSTATEs of a server that is going away or cannot take the session: class 08 (connection exception),
 * 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections), 3D000 (the database
 * itself is gone, e.g. dropped to be recreated).
 */
export function isConnectionState(state: string): boolean {
  return state.startsWith('08') || /^57P0[1-3]$/.test(state) || state === '53300' || state === '3D000';
}

export function databaseTroubleOf(error: unknown): DatabaseTrouble | undefined {
  for (const candidate of causes(error)) {
    const detail = candidate instanceof Error ? candidate.message : String(candidate);
    if (candidate instanceof EventStoreUnavailableError) return { kind: 'unavailable', store: 'event store', detail };
    if (candidate instanceof DatabaseUnavailableError) return { kind: 'unavailable', store: 'database', detail };
    const state = sqlState(candidate);
    if (state === '42P01') return { kind: 'undefined-relation', detail };
    if (state !== undefined && isConnectionState(state)) return { kind: 'unavailable', store: 'database', detail };
    const code = (candidate as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return { kind: 'unavailable', store: 'database', detail };
    if (candidate instanceof Error && state === undefined && CONNECTION_MESSAGES.test(candidate.message)) {
      return { kind: 'unavailable', store: 'database', detail };
    }
  }
  return undefined;
}

/** The error, then what it wraps: `cause`, TypeORM's `driverError`, an AggregateError's errors (a few levels). */
function* causes(error: unknown, depth = 0): Generator<unknown> {
  if (error === null || error === undefined || depth > 4) return;
  yield error;
  const inner = error as { cause?: unknown; driverError?: unknown };
  if (inner.driverError !== undefined) yield* causes(inner.driverError, depth + 1);
  if (inner.cause !== undefined) yield* causes(inner.cause, depth + 1);
  if (error instanceof AggregateError) for (const each of error.errors) yield* causes(each, depth + 1);
}

/** The tables every lessonloop database has once migrated; none of them is ever dropped by lessonloop. */
export const CORE_TABLES = ['schema_migrations', 'events'] as const;

/** The core tables the database lacks: all of them when it was recreated empty, none when it is whole. */
export async function missingCoreTables(sql: SqlExecutor): Promise<string[]> {
  const { rows } = await sql.query<{ name: string; present: boolean }>(
    'SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name',
    [CORE_TABLES],
  );
  return rows.filter((r) => !r.present).map((r) => r.name);
}

export const SCHEMA_MISSING_ADVICE =
  'lessonloop does not recreate its schema while it runs (it would start a new, empty history under the old one): ' +
  'restore the database from a backup and the server serves again, or restart lessonloop to start an empty store';
