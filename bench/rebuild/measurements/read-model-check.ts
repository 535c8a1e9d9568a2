import type { SqlExecutor } from '../../../src/database/sql-client.js';
import type { JobResult } from '../jobs.js';

/** Sums over an outcome-counts table (any SELECT of its rows), to compare two implementations. */
export async function outcomeCountsCheck(db: SqlExecutor, rowsSql: string): Promise<NonNullable<JobResult['check']>> {
  const { rows } = await db.query<{ n: string; passes: string; fails: string; infra: string }>(
    `SELECT count(*) AS n, sum(passes) AS passes, sum(fails) AS fails, sum(infra_errors) AS infra FROM (${rowsSql}) r`,
  );
  const r = rows[0]!;
  return { rows: Number(r.n), passes: Number(r.passes), fails: Number(r.fails), infraErrors: Number(r.infra) };
}
