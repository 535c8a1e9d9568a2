/**
 * A projection process for the crash and takeover tests (compiled by test/support/compiled.ts, spawned
 * with node). It runs one instance of outcome-counts (or of test-history, which is segmented) against a persisted PGlite directory or a PostgreSQL
 * database and reports what it does as JSON lines on stdout; the parent kills it with SIGKILL at will.
 * Config: the PROJECTOR_CONFIG environment variable (JSON, see ProjectorConfig).
 */
import { outcomeCounts } from '../../../projections/eval/outcome-counts.js';
import { testHistory } from '../../../projections/eval/test-history.js';
import { segmentedOutcomeCounts } from '../support/segmented-outcome-counts.js';
import { openPgliteSqlClient } from '../../../src/database/pglite-sql-client.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import type { SqlClient } from '../../../src/database/sql-client.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import type { ProcessorOptions } from '../../../src/projection-engine/processing/processor-options.js';
import { ProjectionEngine } from '../../../src/projection-engine/projection-engine.js';

export interface ProjectorConfig {
  database: { engine: 'pglite'; dataDir: string } | { engine: 'postgres'; url: string };
  instanceId: string;
  /** outcome-counts unless said; the others are segmented (one lease per segment). */
  projection?: 'outcome-counts' | 'outcome-counts-segmented' | 'test-history';
  processor: Partial<ProcessorOptions>;
  /** Exit (cleanly) once caught up instead of following live events. */
  untilCaughtUp?: boolean;
}

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, t: Math.round(performance.now()), ...message })}\n`);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.PROJECTOR_CONFIG ?? '') as ProjectorConfig;
  const sql: SqlClient =
    config.database.engine === 'pglite'
      ? await openPgliteSqlClient({ dataDir: config.database.dataDir })
      : await openPgSqlClient({ connectionString: config.database.url });
  const store = new SqlEventStore(sql);
  const projection =
    config.projection === 'test-history' ? testHistory : config.projection === 'outcome-counts-segmented' ? segmentedOutcomeCounts : outcomeCounts;
  const engine = new ProjectionEngine({
    sql,
    store,
    projections: [projection],
    options: {
      processor: config.processor,
      hooks: {
        onLeaseAcquired: (unit, owner) => say({ type: 'lease', unit, owner }),
        onBatchCommitted: (b) => say({ type: 'batch', unit: b.instanceId, events: b.events, position: `${b.position.commit}/${b.position.prepare}` }),
        onCaughtUp: (unit) => say({ type: 'caught-up', unit }),
      },
    },
  });
  say({ type: 'ready' });
  const processor = engine.run(config.instanceId, projection.name);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await engine.stop();
    await store.close();
    await sql.close();
    say({ type: 'done' });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  if (config.untilCaughtUp) {
    await processor.whenCaughtUp();
    await shutdown();
  }
}

main().catch((error: unknown) => {
  say({ type: 'error', message: (error as Error).stack ?? String(error) });
  process.exit(1);
});
