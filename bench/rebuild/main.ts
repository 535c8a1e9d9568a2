/**
 * `npm run bench:rebuild [-- --models 40 --tests 99 --days 365 --seed 1 --only ours,raw --emmett-events 200000 --keep]`: rebuilds
 * outcome-counts (per model, tool format and test) from position 0 over the generated history (default
 * 1.45M outcomes) on PostgreSQL, beside a raw cursor read of the same events and Emmett's projector doing
 * the same projection, each in its own child process (peak RSS per implementation). Emmett's projector
 * handles one event per call and runs at a steady rate far below ours, so by default it is measured over
 * the first 200,000 events (`--emmett-events 0`: all of them, which also compares the two read models).
 * `--keep` keeps the imported database for the next run (which then skips the import).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { integerArg, listArg } from '../support/args.js';
import { HISTORY_SHAPE_OPTIONS, historyShapeArg } from '../support/history-args.js';
import { generatedHistory, type HistoryShape } from '../ingest/history-cache.js';
import { runInChild } from '../support/child-runner.js';
import { machineLoadLine } from '../support/machine-load.js';
import { createScratchDatabase } from '../support/postgres-database.js';
import type { Job, JobKind, JobResult } from './jobs.js';
import { resultsTable, verdicts, type MeasuredRow } from './report.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.js');

const MEASUREMENTS: { kind: JobKind; label: string }[] = [
  { kind: 'raw-cursor', label: 'raw cursor read of the events' },
  { kind: 'store-read', label: 'our store subscription, read only' },
  { kind: 'ours', label: 'lessonloop rebuild of outcome-counts' },
  { kind: 'emmett', label: "Emmett's projector, same projection" },
];

interface Options {
  shape: HistoryShape;
  only: string[];
  readBatch: number;
  commitBatch: number;
  emmettEvents: number;
  keep: boolean;
}

function parseRebuildArgs(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...HISTORY_SHAPE_OPTIONS,
      only: { type: 'string' },
      'read-batch': { type: 'string' },
      'commit-batch': { type: 'string' },
      'emmett-events': { type: 'string' },
      keep: { type: 'boolean' },
    },
    strict: true,
  });
  return {
    shape: historyShapeArg(values),
    only: listArg(values.only),
    readBatch: integerArg('read-batch', values['read-batch'], 5000),
    commitBatch: integerArg('commit-batch', values['commit-batch'], 100_000),
    emmettEvents: integerArg('emmett-events', values['emmett-events'], 200_000, 0),
    keep: values.keep ?? false,
  };
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return (await query<{ n: number }>(SERVER_URL, `SELECT 1 AS n FROM pg_database WHERE datname = '${name}'`)).length > 0;
}

/** The history imported into a database of its own (and copied into Emmett's tables); kept with --keep and reused. */
async function preparedDatabase(options: Options, historyDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { models, tests, days, seed } = options.shape;
  const name = `bench_rebuild_${models}x${tests}x${days}_s${seed}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const dropper = async () => {
    await query(SERVER_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  if (await databaseExists(name)) {
    const ready = await query<{ ok: boolean }>(url.toString(), `SELECT to_regclass('bench_rebuild_ready') IS NOT NULL AS ok`);
    if (ready[0]?.ok) {
      console.error(`  reusing database ${name}`);
      return { url: url.toString(), drop: options.keep ? async () => undefined : dropper };
    }
  }
  const database = await createScratchDatabase(SERVER_URL, name);
  const base: Omit<Job, 'kind'> = { url: database.url, historyDir, readBatch: 0, commitBatch: 0, emmettEvents: 0, rssMarks: [] };
  for (const kind of ['import', 'emmett-load'] as const) {
    const { result } = await runInChild<Job, JobResult>(CHILD, { ...base, kind }, { timeoutMs: 3 * 3_600_000 });
    console.error(`  ${kind}: ${result.events} events in ${result.seconds.toFixed(1)} s (${result.note})`);
  }
  await query(database.url, 'VACUUM ANALYZE events');
  await query(database.url, 'CREATE TABLE bench_rebuild_ready (at timestamptz DEFAULT now())');
  return { url: database.url, drop: options.keep ? async () => undefined : database.drop };
}

async function main(): Promise<void> {
  const options = parseRebuildArgs(process.argv.slice(2));
  const loadBefore = machineLoadLine();
  const { dir, generatedSeconds } = await generatedHistory(options.shape);
  const { models, tests, days, seed } = options.shape;
  console.error(
    `bench:rebuild — history ${models} models x ${tests} tests x ${days} days (seed ${seed}) in ${dir}` +
      (generatedSeconds === null ? ' (reused)' : ` (generated in ${generatedSeconds.toFixed(1)} s)`),
  );
  const database = await preparedDatabase(options, dir);
  const rows: MeasuredRow[] = [];
  let mark = 500_000;
  try {
    const [{ n }] = await query<{ n: string }>(database.url, 'SELECT count(*)::text AS n FROM events');
    const total = Number(n);
    if (total < mark * 1.5) mark = Math.floor(total / 3);
    console.error(`  ${total} events; RSS noted at ${mark} and at the end`);
    for (const { kind, label } of MEASUREMENTS.filter((m) => options.only.length === 0 || options.only.some((o) => m.kind.includes(o)))) {
      const job: Job = {
        kind,
        url: database.url,
        historyDir: dir,
        readBatch: options.readBatch,
        commitBatch: options.commitBatch,
        emmettEvents: options.emmettEvents,
        rssMarks: [mark],
      };
      try {
        const { result, peakRssMb } = await runInChild<Job, JobResult>(CHILD, job, { timeoutMs: 3 * 3_600_000 });
        rows.push({ label, job, result, peakRssMb });
        console.error(`  ${label}: ${result.events} events in ${result.seconds.toFixed(1)} s = ${Math.round(result.events / result.seconds)}/s`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        rows.push({ label, job, error: message });
        console.error(`  ${label}: FAILED\n${message}`);
      }
    }
  } finally {
    await database.drop();
  }
  console.log(`\n${resultsTable(rows, mark)}\n`);
  for (const verdict of verdicts(rows, mark)) console.log(`${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.line}`);
  console.log(`\nbefore: ${loadBefore}\nafter:  ${machineLoadLine()}`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

await main();
