/**
 * bench:reanalyze — a year at 40 models x 99 tests (one run a day) with 150 lessons created and edited (about
 * 1.45M outcomes), in PostgreSQL: the time to build a new rule set's projections from the events, and its peak
 * RSS (measured in a child process). Target: under 30 s.
 *
 *   npm run bench:reanalyze [-- --models 4 --days 60 --lessons 20] [--fresh] [--with-trends] [--rounds 3]
 * DATABASE_URL picks the server (default postgres://postgres@127.0.0.1:5432/test); the world is written once to
 * database bench_reanalyze_<shape> and reused while it exists (--fresh rewrites it).
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import pg from 'pg';
import { loadAppConfig } from '../../src/config/app-config.js';
import { openDatabase } from '../../src/database/open-database.js';
import { openEventStore } from '../../src/event-store/open-event-store.js';
import { runInChild } from '../support/child-runner.js';
import { machineLoadLine } from '../support/machine-load.js';
import { createScratchDatabase } from '../support/postgres-database.js';
import { appendWorld } from './append-world.js';
import type { MeasureJob, MeasureResult, PhaseResult } from './measure-child.js';
import { plantedWorldStream } from './planted-world.js';
import { FULL_SHAPE, worldOptions, type ReanalyzeShape } from './shape.js';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'measure-child.js');

async function ready(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(`SELECT to_regclass('bench_reanalyze_ready') IS NOT NULL AS ok`);
    return rows[0]?.ok ?? false;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function prepare(shape: ReanalyzeShape, fresh: boolean): Promise<{ url: string; outcomes: number }> {
  const name = `bench_reanalyze_${shape.models}_${shape.days}_${shape.lessons}_${shape.seed}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const { events, truth } = plantedWorldStream(worldOptions(shape));
  if (!fresh && (await ready(url.toString()))) {
    console.error(`  reusing database ${name}`);
    return { url: url.toString(), outcomes: truth.outcomes };
  }
  const database = await createScratchDatabase(SERVER_URL, name);
  const config = loadAppConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const sql = await openDatabase(config);
  const store = await openEventStore(config, sql);
  const started = performance.now();
  let next = 250_000;
  await appendWorld(store, events, 10_000, (done) => {
    if (done >= next) {
      console.error(`  appended ${done} events (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      next += 250_000;
    }
  });
  await sql.query('VACUUM ANALYZE events');
  await sql.query('CREATE TABLE bench_reanalyze_ready (at timestamptz DEFAULT now())');
  await store.close();
  await sql.close();
  console.error(`  wrote ${truth.outcomes} outcomes in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { url: database.url, outcomes: truth.outcomes };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      days: { type: 'string' },
      lessons: { type: 'string' },
      seed: { type: 'string' },
      fresh: { type: 'boolean' },
      'with-trends': { type: 'boolean' },
      rounds: { type: 'string' },
    },
  });
  const shape: ReanalyzeShape = {
    models: Number(values.models ?? FULL_SHAPE.models),
    days: Number(values.days ?? FULL_SHAPE.days),
    lessons: Number(values.lessons ?? FULL_SHAPE.lessons),
    seed: Number(values.seed ?? FULL_SHAPE.seed),
  };
  const rounds = Math.max(1, Number(values.rounds ?? 1));
  const load = machineLoadLine();
  console.error(`bench:reanalyze — ${shape.models} models x 99 tests x ${shape.days} days, ${shape.lessons} lessons (created + edited)`);
  const { url, outcomes } = await prepare(shape, values.fresh ?? false);
  const { result, peakRssMb } = await runInChild<MeasureJob & Record<string, string | number | boolean>, MeasureResult>(CHILD, { url, rounds, withTrends: values['with-trends'] ?? false }, { timeoutMs: 3_600_000 });
  const line = (label: string, p: PhaseResult) =>
    `| ${label} | ${p.seconds.toFixed(1)} | ${p.buildSeconds.toFixed(1)} | ${p.analysisSeconds.toFixed(2)} | ${p.cpuSeconds.toFixed(1)} | ${p.peakRssMb.toFixed(0)} | ${p.instances.join(', ')} | ${JSON.stringify(p.experiments)} |`;
  console.log(`\nbench:reanalyze on PostgreSQL, ${outcomes} outcomes; before: ${load}; after: ${machineLoadLine()}\n`);
  console.log('| new rule set | total s | build s | analysis s | node CPU s | peak RSS MB (phase) | instances built | experiments |');
  console.log('|---|---:|---:|---:|---:|---:|---|---|');
  const best = result.fromEvents.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const label = rounds === 1 ? 'from the events (inputs rebuilt too)' : `from the events (inputs rebuilt too), best of ${rounds}`;
  console.log(line(label, best));
  console.log(line('experiment inputs already built', result.inputsReused));
  if (result.withTrends) console.log(line('changing trend rules too (trends rebuilt)', result.withTrends));
  if (rounds > 1) console.log(`\nfrom the events, every round (total s): ${result.fromEvents.map((p) => p.seconds.toFixed(1)).join(', ')}`);
  console.log(`\nchild peak RSS (whole process): ${peakRssMb.toFixed(0)} MB; target: under 30 s from the events`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
