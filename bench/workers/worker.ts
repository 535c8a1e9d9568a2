/**
 * One worker process of `bench:workers`: runs the projection engine on one instance (test-history, segmented)
 * of the benchmark database, taking its share of the segments like any lessonloop process, until the instance
 * has been promoted; then reports its Node CPU and the events it committed, and waits (connections open, so
 * the parent can read its PostgreSQL backends' CPU) until it is told to go. It starts projecting on a line on stdin.
 * Config: WORKER_CONFIG (JSON: url, instanceId, readBatch, commitBatch).
 */
import { testHistory } from '../../projections/eval/test-history.js';
import { openPgSqlClient } from '../../src/database/pg-sql-client.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';

interface WorkerConfig {
  url: string;
  instanceId: string;
  readBatch: number;
  commitBatch: number;
}

const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ pid: process.pid, ...message })}\n`);

const config = JSON.parse(process.env.WORKER_CONFIG ?? '') as WorkerConfig;
const sql = await openPgSqlClient({ connectionString: config.url });
const store = new SqlEventStore(sql);
const units = new Set<string>();
let events = 0;
const engine = new ProjectionEngine({
  sql,
  store,
  projections: [testHistory],
  options: {
    processor: { batchSize: config.commitBatch, readBatchSize: config.readBatch },
    hooks: {
      onLeaseAcquired: (unit) => units.add(unit),
      onBatchCommitted: (b) => (events += b.events),
    },
  },
});
say({ type: 'ready' });
// Started together: every worker waits for the parent's go, so process start-up is not timed.
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const cpuBefore = process.cpuUsage();
engine.run(config.instanceId, testHistory.name);
for (;;) {
  await new Promise((r) => setTimeout(r, 100));
  if ((await engine.currentInstanceId(testHistory.name)) === config.instanceId) break;
}
const cpu = process.cpuUsage(cpuBefore);
await engine.stop();
say({ type: 'done', nodeCpuSeconds: (cpu.user + cpu.system) / 1e6, events, units: [...units].sort() });
process.on('SIGTERM', () => void store.close().then(() => sql.close()).then(() => process.exit(0)));
setInterval(() => undefined, 60_000);
