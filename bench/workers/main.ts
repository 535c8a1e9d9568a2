/**
 * `npm run bench:workers [-- --models 8 --tests 99 --days 60 --seed 1 --workers 1,2,4 --read-batch 5000 --commit-batch 5000]`:
 * rebuilds the segmented projection (test-history, 4 segments) of a generated history on PostgreSQL with 1, 2
 * and 4 worker processes sharing its segments. Per run: wall time to the switch, each process's rate, the CPU
 * split between Node (the workers) and PostgreSQL (their backends, /proc), and a checksum of the rows, which
 * must be the same for every run. Amdahl's bound is computed in the same run: the serial part is reading the
 * log, which every worker does in full (timed alone here), and no speed-up exceeds the cores free for it
 * (cores / cores busy with one worker).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { testHistory } from '../../projections/eval/test-history.js';
import { openPgSqlClient } from '../../src/database/pg-sql-client.js';
import type { SqlClient } from '../../src/database/sql-client.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { generatedHistory } from '../ingest/history-cache.js';
import type { Job, JobResult } from '../rebuild/jobs.js';
import { integerArg, listArg } from '../support/args.js';
import { runInChild } from '../support/child-runner.js';
import { HISTORY_SHAPE_OPTIONS, historyShapeArg } from '../support/history-args.js';
import { machineLoadLine } from '../support/machine-load.js';
import { createScratchDatabase } from '../support/postgres-database.js';
import { PostgresCpu } from './postgres-cpu.js';
import { workersReport, type WorkersRun } from './report.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HERE = path.dirname(fileURLToPath(import.meta.url));

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { ...HISTORY_SHAPE_OPTIONS, workers: { type: 'string' }, 'read-batch': { type: 'string' }, 'commit-batch': { type: 'string' } },
  strict: true,
});
const shape = historyShapeArg({ models: '8', days: '60', ...values });
const workerCounts = (listArg(values.workers).length ? listArg(values.workers) : ['1', '2', '4']).map(Number);
const readBatch = integerArg('read-batch', values['read-batch'], 5000);
const commitBatch = integerArg('commit-batch', values['commit-batch'], 5000);

interface Done {
  pid: number;
  nodeCpuSeconds: number;
  events: number;
  units: string[];
}

/** Starts `n` workers on the instance; resolves when all reported done, with their reports and the wall time. */
async function runWorkers(url: string, instanceId: string, n: number): Promise<{ seconds: number; done: Done[]; stopAll(): Promise<void> }> {
  const config = JSON.stringify({ url, instanceId, readBatch, commitBatch });
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, [path.join(HERE, 'worker.js')], { env: { ...process.env, WORKER_CONFIG: config }, stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const ready: Promise<void>[] = [];
  const finished = children.map(
    (child) =>
      new Promise<Done>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`worker ${child.pid} exited (${code}) before it was done`)));
        let isReady: () => void = () => undefined;
        ready.push(new Promise<void>((r) => (isReady = r)));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          if (!line.startsWith('{')) return; // the engine's log lines
          const message = JSON.parse(line) as Done & { type: string };
          if (message.type === 'ready') isReady();
          if (message.type === 'done') resolve(message);
        });
      }),
  );
  await Promise.all(ready);
  const started = performance.now(); // timed from the go, not from process start-up
  for (const child of children) child.stdin!.write('go\n');
  const done = await Promise.all(finished);
  const seconds = (performance.now() - started) / 1000;
  const stopAll = async () => {
    await Promise.all(children.map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))));
  };
  return { seconds, done, stopAll };
}

async function checksum(sql: SqlClient, instanceId: string): Promise<{ rows: number; md5: string }> {
  const { rows } = await sql.query<{ rows: string; md5: string }>(
    `SELECT COUNT(*) AS rows, md5(string_agg((to_jsonb(h) - 'instance_id')::text, '|' ORDER BY h.event_id)) AS md5
       FROM eval_test_history h WHERE instance_id = $1`,
    [instanceId],
  );
  return { rows: Number(rows[0]!.rows), md5: rows[0]!.md5 };
}

/** Seconds for one subscription to read and decode the whole log: the part every worker repeats. */
async function readAlone(store: SqlEventStore): Promise<number> {
  const started = performance.now();
  const subscription = store.subscribeToAll({ batchSize: readBatch, pollIntervalMs: 1000 });
  for await (const message of subscription) if (message.kind !== 'events') break;
  await subscription.close();
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const loadBefore = machineLoadLine();
  const { dir } = await generatedHistory(shape);
  const database = await createScratchDatabase(SERVER_URL, `bench_workers_${shape.models}x${shape.tests}x${shape.days}_s${shape.seed}`);
  const job: Job = { kind: 'import', url: database.url, historyDir: dir, readBatch: 0, commitBatch: 0, emmettEvents: 0, rssMarks: [] };
  const { result } = await runInChild<Job, JobResult>(path.join(HERE, '../rebuild/child.js'), job, { timeoutMs: 3_600_000 });
  console.error(`bench:workers — ${result.events} events imported (${shape.models} models x ${shape.tests} tests x ${shape.days} days)`);
  const sql = await openPgSqlClient({ connectionString: database.url });
  const store = new SqlEventStore(sql);
  const runs: WorkersRun[] = [];
  try {
    await sql.query('VACUUM ANALYZE events');
    const engine = new ProjectionEngine({ sql, store, projections: [testHistory] });
    await engine.prepare();
    const readSeconds = await readAlone(store);
    for (const n of workerCounts) {
      const instance = await engine.rebuild(testHistory.name);
      const cpu = await PostgresCpu.start(database.url);
      const { seconds, done, stopAll } = await runWorkers(database.url, instance.instanceId, n);
      const postgresCpuSeconds = await cpu.stop();
      await stopAll();
      runs.push({ workers: n, seconds, done, postgresCpuSeconds, check: await checksum(sql, instance.instanceId) });
      console.error(`  ${n} worker(s): ${seconds.toFixed(1)} s, ${machineLoadLine()}`);
      for (const s of await engine.status(testHistory.name)) if (!s.current) await engine.drop(s.instanceId);
    }
    await engine.stop();
    console.log(workersReport({ events: result.events, readSeconds, cores: os.cpus().length, runs }));
  } finally {
    await store.close();
    await sql.close();
    await database.drop();
  }
  console.log(`\nbefore: ${loadBefore}\nafter:  ${machineLoadLine()}`);
}

await main();
