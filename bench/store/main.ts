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
 * `npm run bench:store [-- --events N --rounds R --only postgres/ours,raw]`: our event store against Emmett and
 * raw PostgreSQL on a fresh database of the local server, and on an on-disk PGlite in a temp directory.
 */
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.js');

/** Higher rate wins. Rows without events keep round 1: only there is "open a new database" really new. */
function isBetter(a: MeasurementResult, b: MeasurementResult): boolean {
  return a.events > 0 && eventsPerSecond(a) > eventsPerSecond(b);
}

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

    const rows = new Map<string, MeasuredRow>(plan.map((planned) => [planned.id, { planned }]));
    for (let round = 1; round <= args.rounds; round++) {
      for (const planned of plan) {
        if (!planned.job) continue;
        const row = rows.get(planned.id)!;
        // Stream ids (and Emmett processor ids) must be new in every round.
        const job: Job = { ...planned.job, streamPrefix: `${planned.job.streamPrefix}-r${round}` };
        try {
          const { result, peakRssMb } = await runInChild<Job, MeasurementResult>(CHILD, job);
          console.error(`  [${round}/${args.rounds}] ${planned.id}: ${result.events} events in ${result.seconds.toFixed(2)} s = ${Math.round(eventsPerSecond(result))}/s`);
          if (!row.result || isBetter(result, row.result)) row.result = result;
          row.peakRssMb = Math.max(row.peakRssMb ?? 0, peakRssMb);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          row.error ??= message;
          process.exitCode = 1;
          console.error(`  [${round}/${args.rounds}] ${planned.id}: FAILED\n${message}`);
        }
      }
    }

    const measured = [...rows.values()];
    const best = args.rounds > 1 ? `, best of ${args.rounds} rounds (rows without events: round 1; peak RSS: highest round)` : '';
    console.log(`\n${args.events} events per measurement${best}\n\n${resultsTable(measured)}\n`);
    for (const line of targetLines(measured)) console.log(line);
    console.log(`\nbefore: ${loadBefore}\nafter:  ${machineLoadLine()}`);
  } finally {
    await database.drop();
    await rm(pgliteDir, { recursive: true, force: true });
  }
}

await main();
