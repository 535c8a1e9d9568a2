/**
 * A projection process for the crash and takeover tests (compiled by test/support/compiled.ts, spawned
 * with node). It runs one instance of outcome-counts against a persisted PGlite directory or a PostgreSQL
 * database and reports what it does as JSON lines on stdout; the parent kills it with SIGKILL at will.
 * Config: the PROJECTOR_CONFIG environment variable (JSON, see ProjectorConfig).
 */
import { outcomeCounts } from '../../../projections/eval/outcome-counts.js';
import { openPgliteSqlClient } from '../../../src/database/pglite-sql-client.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import type { SqlClient } from '../../../src/database/sql-client.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import type { ProcessorOptions } from '../../../src/projection-engine/processing/processor-options.js';
import { ProjectionEngine } from '../../../src/projection-engine/projection-engine.js';

export interface ProjectorConfig {
  database: { engine: 'pglite'; dataDir: string } | { engine: 'postgres'; url: string };
  instanceId: string;
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
  const engine = new ProjectionEngine({
    sql,
    store,
    projections: [outcomeCounts],
    options: {
      processor: config.processor,
      hooks: {
        onLeaseAcquired: (_id, owner) => say({ type: 'lease', owner }),
        onBatchCommitted: (b) => say({ type: 'batch', events: b.events, position: `${b.position.commit}/${b.position.prepare}` }),
        onCaughtUp: () => say({ type: 'caught-up' }),
      },
    },
  });
  say({ type: 'ready' });
  const processor = engine.run(config.instanceId, outcomeCounts.name);
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
