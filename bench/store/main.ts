import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from '../support/args.js';
import { runInChild } from '../support/child-runner.js';
import { machineLoadLine } from '../support/machine-load.js';
import { createScratchDatabase } from '../support/postgres-database.js';
import type { Job, MeasurementResult } from './jobs.js';
import { planMeasurements } from './plan.js';
import { eventsPerSecond, resultsTable, targetLines, type MeasuredRow } from './report.js';

/**
 * `npm run bench:store [-- --events N] [-- --only postgres/ours,raw]`: our event store against Emmett and
 * raw PostgreSQL on a fresh database of the local server, and on an on-disk PGlite in a temp directory.
 */
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.js');

async function main(): Promise<void> {
  const args = parseBenchArgs();
  const loadBefore = machineLoadLine();
  const database = await createScratchDatabase(SERVER_URL, `bench_store_${process.pid}`);
  const pgliteDir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-bench-pglite-'));
  try {
    const plan = planMeasurements({
      events: args.events,
      postgres: { kind: 'postgres', url: database.url },
      pglite: { kind: 'pglite', dataDir: pgliteDir },
    }).filter((p) => args.only.length === 0 || args.only.some((o) => p.id.includes(o)));
    console.error(`bench:store — ${args.events} events per measurement; database ${database.name}; PGlite in ${pgliteDir}`);

    const rows: MeasuredRow[] = [];
    for (const planned of plan) {
      if (!planned.job) {
        rows.push({ planned });
        continue;
      }
      try {
        const { result, peakRssMb } = await runInChild<Job, MeasurementResult>(CHILD, planned.job);
        rows.push({ planned, result, peakRssMb });
        console.error(`  ${planned.id}: ${result.events} events in ${result.seconds.toFixed(2)} s = ${Math.round(eventsPerSecond(result))}/s`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        rows.push({ planned, error: message });
        console.error(`  ${planned.id}: FAILED\n${message}`);
      }
    }

    console.log(`\n${resultsTable(rows)}\n`);
    for (const line of targetLines(rows)) console.log(line);
    console.log(`\nbefore: ${loadBefore}\nafter:  ${machineLoadLine()}`);
    if (rows.some((r) => r.error)) process.exitCode = 1;
  } finally {
    await database.drop();
    await rm(pgliteDir, { recursive: true, force: true });
  }
}

await main();
