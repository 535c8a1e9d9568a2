/**
 * `npm run bench:effects-rebuild [-- --sessions 260000 --chunk 20000 --lessons 64 --holdout 0.1 --draws 20 --keep]`:
 * the planted sessions world (4 events a session: LessonArmsSampled, TestOutcomeRecorded, SessionRewardObserved,
 * LessonExposureRecorded; 260,000 sessions ~ 1.04M events), generated in memory by the pure functions and bulk
 * appended to a PostgreSQL database of its own, then, each in its own child process: a raw cursor read of the
 * events (bench:rebuild's floor, same code) and a rebuild of each effect read model (lesson-effects,
 * injection-gate) by the projection engine. Goal (#16): each rebuild >= 50% of the raw cursor read rate.
 * `--sessions` smaller runs the same bench on a smaller world (say so with its figures); `--keep` keeps the
 * database for the next run (which then skips the append).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { JobResult } from '../../rebuild/jobs.js';
import { integerArg } from '../../support/args.js';
import { runInChild } from '../../support/child-runner.js';
import { machineLoadLine } from '../../support/machine-load.js';
import { createScratchDatabase } from '../../support/postgres-database.js';
import { formatFixed, formatInteger, markdownTable } from '../../support/table.js';
import type { WorldLogShape } from '../world-log.js';
import type { EffectsJob } from './jobs.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.js');
const HOURS = 3_600_000;
const GOAL = 0.5;

const { values } = parseArgs({
  options: {
    sessions: { type: 'string' },
    chunk: { type: 'string' },
    lessons: { type: 'string' },
    holdout: { type: 'string', default: '0.1' },
    draws: { type: 'string' },
    'read-batch': { type: 'string' },
    'commit-batch': { type: 'string' },
    /** The engine's lease (and idle-in-transaction limit) in ms; default the engine's (2 s). */
    'lease-ttl': { type: 'string' },
    keep: { type: 'boolean' },
  },
  strict: true,
});
const shape: WorldLogShape = {
  sessions: integerArg('sessions', values.sessions, 260_000),
  chunk: integerArg('chunk', values.chunk, 20_000),
  lessons: integerArg('lessons', values.lessons, 64),
  holdoutRate: Number(values.holdout),
  inclusionDraws: integerArg('draws', values.draws, 20, 0),
};
const readBatch = integerArg('read-batch', values['read-batch'], 5000);
const commitBatch = integerArg('commit-batch', values['commit-batch'], 100_000);
const leaseTtlMs = values['lease-ttl'] === undefined ? undefined : integerArg('lease-ttl', values['lease-ttl'], 2000);

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The world appended to a database of its own; reused (and kept) with --keep. */
async function preparedDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_effects_rebuild_${shape.sessions}_c${shape.chunk}_l${shape.lessons}_h${Math.round(shape.holdoutRate * 1000)}_d${shape.inclusionDraws}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const exists = (await query(SERVER_URL, `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length > 0;
  if (exists && values.keep) {
    const [ready] = await query<{ ok: boolean }>(url.toString(), `SELECT to_regclass('bench_effects_ready') IS NOT NULL AS ok`);
    if (ready?.ok) {
      console.error(`  reusing database ${name}`);
      return { url: url.toString(), drop: async () => undefined };
    }
  }
  const database = await createScratchDatabase(SERVER_URL, name);
  const { result } = await runInChild<EffectsJob, JobResult>(CHILD, { kind: 'append', url: database.url, shape }, { timeoutMs: 3 * HOURS });
  console.error(`  append: ${formatInteger(result.events)} events in ${formatFixed(result.seconds, 1)} s (${result.note})`);
  await query(database.url, 'VACUUM ANALYZE events');
  await query(database.url, 'CREATE TABLE bench_effects_ready (at timestamptz DEFAULT now())');
  return { url: database.url, drop: values.keep ? async () => undefined : database.drop };
}

interface Row {
  label: string;
  result?: JobResult;
  peakRssMb?: number;
  error?: string;
}

const rate = (r: JobResult) => r.events / r.seconds;

async function main(): Promise<void> {
  const loadBefore = machineLoadLine();
  console.error(`bench:effects-rebuild — ${formatInteger(shape.sessions)} sessions (${shape.chunk} a seed), ${shape.lessons} lessons, holdout ${shape.holdoutRate}, ${shape.inclusionDraws} MC draws`);
  const database = await preparedDatabase();
  const rows: Row[] = [];
  let total = 0;
  try {
    total = Number((await query<{ n: string }>(database.url, 'SELECT count(*)::text AS n FROM events'))[0]!.n);
    const mark = Math.floor(total / 2);
    const jobs: { label: string; job: EffectsJob }[] = [
      { label: 'raw cursor read of the events', job: { kind: 'raw-cursor', url: database.url, historyDir: '', readBatch, commitBatch, emmettEvents: 0, rssMarks: [mark] } },
      { label: 'rebuild lesson-effects', job: { kind: 'rebuild', url: database.url, projections: ['lesson-effects'], readBatch, commitBatch, rssMarks: [mark], ...(leaseTtlMs ? { leaseTtlMs } : {}) } },
      { label: 'rebuild injection-gate', job: { kind: 'rebuild', url: database.url, projections: ['injection-gate'], readBatch, commitBatch, rssMarks: [mark], ...(leaseTtlMs ? { leaseTtlMs } : {}) } },
    ];
    for (const { label, job } of jobs) {
      try {
        const { result, peakRssMb } = await runInChild<EffectsJob, JobResult>(CHILD, job, { timeoutMs: 3 * HOURS });
        rows.push({ label, result, peakRssMb });
        console.error(`  ${label}: ${result.events} events in ${result.seconds.toFixed(1)} s = ${Math.round(rate(result))}/s`);
      } catch (error) {
        rows.push({ label, error: error instanceof Error ? error.message : String(error) });
        console.error(`  ${label}: FAILED\n${rows.at(-1)!.error}`);
      }
    }
  } finally {
    await database.drop();
  }
  const raw = rows[0]?.result;
  const ratio = (r: Row) => (r.result && raw ? rate(r.result) / rate(raw) : null);
  console.log(
    `\n## bench:effects-rebuild — ${formatInteger(total)} events (${formatInteger(shape.sessions)} sessions, ${shape.lessons} lessons, holdout ${shape.holdoutRate}), PostgreSQL\n\n` +
      markdownTable<Row>(
        [
          { header: 'measurement', cell: (r) => r.label },
          { header: 'events', align: 'right', cell: (r) => (r.result ? formatInteger(r.result.events) : '-') },
          { header: 'seconds', align: 'right', cell: (r) => (r.result ? formatFixed(r.result.seconds, 1) : 'FAILED') },
          { header: 'events/s', align: 'right', cell: (r) => (r.result ? formatInteger(rate(r.result)) : '-') },
          { header: 'vs raw cursor read', align: 'right', cell: (r) => (ratio(r) === null ? '-' : `${formatFixed(100 * ratio(r)!, 0)}%`) },
          { header: 'goal', cell: (r) => (r === rows[0] ? '' : `>= ${100 * GOAL}%`) },
          { header: '', cell: (r) => (r === rows[0] ? '' : (ratio(r) ?? 0) >= GOAL ? 'PASS' : 'FAIL') },
          { header: 'peak RSS MB', align: 'right', cell: (r) => (r.peakRssMb === undefined ? '-' : formatInteger(r.peakRssMb)) },
          { header: 'how', cell: (r) => r.result?.note ?? r.error?.split('\n')[0] ?? '' },
        ],
        rows,
      ) +
      `\n\nbefore: ${loadBefore}\nafter:  ${machineLoadLine()}`,
  );
  if (total < 1_000_000) console.log(`(a smaller world than the goal's >= 1M events: --sessions ${shape.sessions})`);
  if (rows.some((r) => r.error || (r !== rows[0] && (ratio(r) ?? 0) < GOAL))) process.exitCode = 1;
}

await main();
