import { hashToken } from '../../src/auth/token-hash.js';
import type { SqlExecutor } from '../../src/database/sql-client.js';

export const WRITE_TOKEN = 'll_test-writer-token';
export const READ_TOKEN = 'll_test-reader-token';
export const API_TOKENS = `writer:read,write:${hashToken(WRITE_TOKEN)}; reader:read:${hashToken(READ_TOKEN)}`;
export const WRITE_AUTH = `Bearer ${WRITE_TOKEN}`;
export const READ_AUTH = `Bearer ${READ_TOKEN}`;

/**
 * Every event stored, counted in SQL: the store's own countAfter() reads below the transaction horizon, which
 * a projection batch still open on another connection can hold back for a moment.
 */
export async function eventCount(target: { sql: SqlExecutor }): Promise<number> {
  const { rows } = await target.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0]!.n;
}

/** Retries `check` until it stops throwing: read models follow the store asynchronously. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export const CURRENT_HEADER =
  'Model,Tool Format,Test,Passed,Score,Tool Calls,Num Steps,Tokens Input,Tokens Output,Tokens Total,Cache Read Tokens,' +
  'Cache Creation Tokens,Cache Hit Rate,Cost USD,Total Duration,Generation Time,Run Time,Eval Time,Commit Hash,Log Dir,Workspace Dir';

/** A current-header row; `over` replaces cells by column name. */
export function csvRow(over: Record<string, string> = {}): string {
  const cells: Record<string, string> = {
    Model: 'anthropic/claude-haiku-4-5',
    'Tool Format': 'tool',
    Test: 'hello',
    Passed: 'true',
    Score: '2/2',
    'Tool Calls': '3',
    'Num Steps': '4',
    'Tokens Input': '1000',
    'Tokens Output': '200',
    'Tokens Total': '1200',
    'Cache Read Tokens': '800',
    'Cache Creation Tokens': '100',
    'Cache Hit Rate': '0.8',
    'Cost USD': '0.0123',
    'Total Duration': '12.5',
    'Generation Time': '10',
    'Run Time': '2',
    'Eval Time': '0.5',
    'Commit Hash': 'v0.33.0',
    'Log Dir': '/logs/a',
    'Workspace Dir': '/logs/a/workspace',
    ...over,
  };
  return CURRENT_HEADER.split(',').map((column) => cells[column]).join(',');
}
