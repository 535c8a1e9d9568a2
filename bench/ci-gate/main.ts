/**
 * `npm run bench:ci-gate [-- --models 40 --tests 99 --days 365 --seed 1 --runs 3 --attempts 1 --fresh]`: how long
 * after a run is imported on top of the generated history (default 1.45M outcomes, PostgreSQL) the CI gate's
 * verdict comes. Each candidate run has the history's latest run's models and tests, hours later, each attempt
 * resampled from the same series' outcomes in the history's recent runs (earlier candidates left out), the odd
 * ones with five tests of the first model failing every attempt; it is appended as the importer appends a
 * run (buildEvalRunEvents, one stream), then timed: the eval read models catching up on it (what
 * `lessonloop ci-gate` does first), and GET /eval-runs/:runId/ci-gate (first request, nothing cached). The
 * database is kept between runs (`lessonloop_bench_ci_gate_<shape>`, candidates and all); `--fresh` drops it.
 * The issue's bar: the verdict < 5 s after the import.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { CiGateVerdict } from '../../projections/eval/ci-gate.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { startServer } from '../../src/bootstrap/create-app.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../../src/database/sql-client.js';
import { catchUpEvalReadModels } from '../../src/eval-read-models/catch-up-eval-read-models.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { buildEvalRunEvents, evalRunStreamId, type EvalOutcomeInput } from '../../src/ingest/eval-run-events.js';
import { importResults } from '../../src/ingest/import-results.js';
import { generatedHistory } from '../ingest/history-cache.js';
import { integerArg } from '../support/args.js';
import { HISTORY_SHAPE_OPTIONS, historyShapeArg } from '../support/history-args.js';
import { machineLoadLine } from '../support/machine-load.js';
import { formatFixed, formatInteger, markdownTable } from '../support/table.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (line: string) => process.stderr.write(`${line}\n`);

async function ensureDatabase(name: string, fresh: boolean): Promise<string> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    if (fresh) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { ...HISTORY_SHAPE_OPTIONS, runs: { type: 'string' }, attempts: { type: 'string' }, fresh: { type: 'boolean' } },
    strict: true,
  });
  const shape = historyShapeArg(values);
  const runs = integerArg('runs', values.runs, 3);
  const attempts = integerArg('attempts', values.attempts, 1);
  const { dir } = await generatedHistory(shape);
  const url = await ensureDatabase(`lessonloop_bench_ci_gate_${shape.models}x${shape.tests}x${shape.days}_s${shape.seed}`, values.fresh ?? false);
  const app = await startServer(loadAppConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'warn', LESSONLOOP_RUN_PROJECTIONS: 'never' }));
  try {
    const sql = app.get<SqlClient>(SQL_CLIENT);
    const store = app.get<EventStore>(EVENT_STORE);
    const count = async () => Number((await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM events WHERE type = 'TestOutcomeRecorded'`)).rows[0]!.n);
    if ((await count()) === 0) {
      log(`importing ${dir} ...`);
      const started = Date.now();
      const summary = await importResults(store, dir);
      log(`imported ${formatInteger(summary.outcomes)} outcomes in ${formatFixed((Date.now() - started) / 1000, 1)} s`);
    }
    log(`projecting the eval read models over ${formatInteger(await count())} outcomes ...`);
    let started = Date.now();
    await catchUpEvalReadModels(sql, store, { timeoutMs: 6 * 3600_000 });
    log(`projected in ${formatFixed((Date.now() - started) / 1000, 1)} s`);
    const history = await count();

    // The latest run is the template (its models and tests); each attempt of a candidate resamples the same
    // series' outcome in one of the history's recent runs, so attempts are as independent as the history's runs.
    const recent = (await sql.query<{ stream_id: string; at: string }>(
      `SELECT stream_id, (data->>'startedAt') AS at FROM events WHERE type = 'EvalRunRecorded' AND stream_id NOT LIKE 'eval-run-bench-gate-%'
        ORDER BY global_position DESC LIMIT $1`,
      [40 * Math.max(attempts, 5)],
    )).rows;
    const latest = recent[0]!;
    const outcomesOf = async (stream: string) => (await store.readStream(stream)).filter((e) => e.type === 'TestOutcomeRecorded').map((e) => e.data as TestOutcomeRecordedData);
    const template = await outcomesOf(latest.stream_id);
    const pool = new Map<string, boolean[]>();
    for (const r of recent) for (const o of await outcomesOf(r.stream_id)) (pool.get(`${o.rawModel}|${o.toolFormat}|${o.test}`) ?? pool.set(`${o.rawModel}|${o.toolFormat}|${o.test}`, []).get(`${o.rawModel}|${o.toolFormat}|${o.test}`)!).push(o.passed);
    let seed = 1;
    const draw = (list: readonly boolean[]) => list[(seed = (seed * 48271) % 2147483647) % list.length]!;
    const firstModel = template[0]!.model;
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const rows: { run: string; planted: boolean; outcomes: number; append: number; catchUp: number; verdict: number; total: number; result: string }[] = [];
    for (let i = 0; i < runs; i++) {
      const planted = i % 2 === 1;
      const runId = `bench-gate-${Date.now()}-${i}`;
      // Hours after the latest history run: candidates of earlier bench runs (a day on and later) stay out of the baselines.
      const startedAt = new Date(Date.parse(latest.at) + (i + 1) * 3_600_000 + (Date.now() % 1000)).toISOString();
      const broken = new Set(planted ? template.filter((o) => o.model === firstModel).slice(0, 5).map((o) => o.test) : []);
      const outcomes: EvalOutcomeInput[] = template.flatMap((o) => {
        const history = pool.get(`${o.rawModel}|${o.toolFormat}|${o.test}`) ?? [o.passed];
        return Array.from({ length: attempts }, () => ({
          suite: o.suite, test: o.test, model: o.model, rawModel: o.rawModel, toolFormat: o.toolFormat,
          passed: o.model === firstModel && broken.has(o.test) ? false : draw(history),
        }));
      });
      started = performance.now();
      await store.appendMany([buildEvalRunEvents({ runId, startedAt, source: 'bench', outcomes })]);
      const appended = performance.now();
      await catchUpEvalReadModels(sql, store);
      const caughtUp = performance.now();
      const res = await fetch(`${base}/eval-runs/${encodeURIComponent(runId)}/ci-gate`);
      const verdict = (await res.json()) as CiGateVerdict;
      const done = performance.now();
      if (!res.ok) throw new Error(`ci-gate: HTTP ${res.status} ${JSON.stringify(verdict).slice(0, 300)}`);
      if (evalRunStreamId(runId) === latest.stream_id) throw new Error('candidate reused the template run');
      rows.push({
        run: runId,
        planted,
        outcomes: outcomes.length,
        append: appended - started,
        catchUp: caughtUp - appended,
        verdict: done - caughtUp,
        total: done - appended,
        result: `${verdict.verdict} (${verdict.counts.failed} of ${verdict.family.hypotheses}, ${verdict.counts.tested} series tested)`,
      });
      log(`${runId}: ${rows.at(-1)!.result}, ${formatFixed(rows.at(-1)!.total, 0)} ms after the import`);
    }
    process.stdout.write(
      `\n## bench:ci-gate — ${formatInteger(history)} outcomes before the candidates (${shape.models} models x ${shape.tests} tests x ${shape.days} days), PostgreSQL\n\n` +
        markdownTable(
          [
            { header: 'candidate', cell: (r) => (r.planted ? 'planted (5 tests fail)' : 'resampled from the history') },
            { header: 'outcomes', align: 'right', cell: (r) => formatInteger(r.outcomes) },
            { header: 'append ms', align: 'right', cell: (r) => formatFixed(r.append, 0) },
            { header: 'catch-up ms', align: 'right', cell: (r) => formatFixed(r.catchUp, 0) },
            { header: 'verdict ms', align: 'right', cell: (r) => formatFixed(r.verdict, 0) },
            { header: 'import to verdict ms', align: 'right', cell: (r) => formatFixed(r.total, 0) },
            { header: 'verdict', cell: (r) => r.result },
          ],
          rows,
        ) +
        `\n\n${machineLoadLine()}\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
