/**
 * `npm run bench:ingest [-- --models 40 --tests 99 --days 365 --seed 1 --only ours,raw]`: imports a generated
 * gptme history (default 40 models x 99 tests x 365 days = 1.45M outcomes) into a fresh PostgreSQL database
 * with `importResults`, beside raw COPY of the same rows, each in its own child process and database.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_BATCH_EVENTS } from '../../src/ingest/import-results.js';
import { integerArg, listArg } from '../support/args.js';
import { HISTORY_SHAPE_OPTIONS, historyShapeArg } from '../support/history-args.js';
import { runInChild } from '../support/child-runner.js';
import { machineLoadLine } from '../support/machine-load.js';
import { createScratchDatabase } from '../support/postgres-database.js';
import { generatedHistory, type HistoryShape } from './history-cache.js';
import type { Job, MeasurementKind, MeasurementResult } from './jobs.js';
import { resultsTable, type MeasuredRow } from './report.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.js');

const MEASUREMENTS: { kind: MeasurementKind; label: string }[] = [
  { kind: 'raw-copy-csv', label: 'raw COPY of the CSV rows (text)' },
  { kind: 'raw-copy-events', label: 'raw COPY of the event rows' },
  { kind: 'ours', label: 'lessonloop import results (validated)' },
  { kind: 'ours-unvalidated', label: 'importResults, no catalogue check' },
];

function parseIngestArgs(argv: string[]): { shape: HistoryShape; only: string[]; batchEvents: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...HISTORY_SHAPE_OPTIONS,
      only: { type: 'string' },
      'batch-events': { type: 'string' },
    },
    strict: true,
  });
  return {
    shape: historyShapeArg(values),
    only: listArg(values.only),
    batchEvents: integerArg('batch-events', values['batch-events'], DEFAULT_BATCH_EVENTS),
  };
}

async function main(): Promise<void> {
  const { shape, only, batchEvents } = parseIngestArgs(process.argv.slice(2));
  const loadBefore = machineLoadLine();
  const { dir, generatedSeconds } = await generatedHistory(shape);
  console.error(
    `bench:ingest — history ${shape.models} models x ${shape.tests} tests x ${shape.days} days (seed ${shape.seed}) in ${dir}` +
      (generatedSeconds === null ? ' (reused)' : ` (generated in ${generatedSeconds.toFixed(1)} s)`),
  );
  const rows: MeasuredRow[] = [];
  for (const { kind, label } of MEASUREMENTS.filter((m) => only.length === 0 || only.some((o) => m.kind.includes(o)))) {
    const database = await createScratchDatabase(SERVER_URL, `bench_ingest_${process.pid}_${kind.replace(/-/g, '_')}`);
    const job: Job = { kind, url: database.url, historyDir: dir, batchEvents };
    try {
      const { result, peakRssMb } = await runInChild<Job, MeasurementResult>(CHILD, job, { timeoutMs: 3 * 3_600_000 });
      rows.push({ label, job, result, peakRssMb });
      console.error(`  ${label}: ${result.written} rows in ${result.seconds.toFixed(1)} s = ${Math.round(result.written / result.seconds)}/s`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      rows.push({ label, job, error: message });
      console.error(`  ${label}: FAILED\n${message}`);
    } finally {
      await database.drop();
    }
  }
  console.log(`\n${resultsTable(rows)}\n`);
  console.log(`before: ${loadBefore}\nafter:  ${machineLoadLine()}`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

await main();
