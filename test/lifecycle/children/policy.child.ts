/**
 * A lifecycle-policy process for the kill test (compiled by test/support/compiled.ts, spawned with node).
 * Runs the policy under a rule set on a persisted PGlite directory or a PostgreSQL database and reports as
 * JSON lines on stdout; the parent kills it with SIGKILL. Config: POLICY_CHILD_CONFIG (JSON).
 */
import { openPgliteSqlClient } from '../../../src/database/pglite-sql-client.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import type { SqlClient } from '../../../src/database/sql-client.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import { LifecyclePolicyRunner } from '../../../src/lifecycle/lifecycle-policy-runner.js';
import type { ProcessorOptions } from '../../../src/projection-engine/processing/processor-options.js';

export interface PolicyChildConfig {
  database: { engine: 'pglite'; dataDir: string } | { engine: 'postgres'; url: string };
  ruleSetId: string;
  processor: Partial<ProcessorOptions>;
  /** Delay each dispatch (widens the commit-to-dispatch window the test kills in). */
  dispatchDelayMs?: number;
  /** Exit cleanly once everything is applied and dispatched. */
  untilSettled?: boolean;
}

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...message })}\n`);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.POLICY_CHILD_CONFIG ?? '') as PolicyChildConfig;
  const sql: SqlClient =
    config.database.engine === 'pglite'
      ? await openPgliteSqlClient({ dataDir: config.database.dataDir })
      : await openPgSqlClient({ connectionString: config.database.url });
  const store = new SqlEventStore(sql);
  const runner = new LifecyclePolicyRunner(sql, store, {
    ruleSetId: config.ruleSetId,
    processor: config.processor,
    ...(config.dispatchDelayMs ? { dispatchDelayMs: config.dispatchDelayMs } : {}),
    hooks: {
      onLeaseAcquired: () => say({ type: 'lease' }),
      onBatchCommitted: (b) => say({ type: 'batch', events: b.events }),
      onCaughtUp: () => say({ type: 'caught-up' }),
    },
    onDispatched: (report) => say({ type: 'dispatched', appended: report.appended }),
  });
  await runner.start();
  say({ type: 'started' });
  // Settled: nothing left to apply or dispatch, so no window the parent waits for can open any more.
  const settled = runner.settled().then(() => say({ type: 'settled' }));
  if (!config.untilSettled) settled.catch(() => undefined); // the parent's own timeout stands in
  if (config.untilSettled) {
    await settled;
    await runner.stop();
    await store.close();
    await sql.close();
    say({ type: 'done' });
    process.exit(0);
  }
}

main().catch((error: unknown) => {
  say({ type: 'error', message: (error as Error).stack ?? String(error) });
  process.exit(1);
});
