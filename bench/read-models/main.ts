/**
 * `npm run bench:read-models [-- --models 40 --tests 99 --days 365 --seed 1 --duration 10 --rate 500]`:
 * p50/p99 latency of `GET /leaderboard` and `GET /trends` at a fixed request rate on loopback (autocannon,
 * coordinated-omission corrected), with the generated history (default 1.45M outcomes) imported into a
 * PostgreSQL database and the eval read models projected. The database is kept between runs
 * (`lessonloop_bench_read_models_<shape>`); `--fresh` drops it first.
 *
 * autocannon's rate is a cap per second, not a pace: each connection sends back to back until it has used its
 * share of the second, then waits for the next one. So the 500 requests of each second arrive as a burst 10
 * deep, and the p99 is set by how fast the server drains that queue; the `max req/s` column (unpaced, 10
 * connections) is that speed. The last row serves the same /leaderboard bytes from a bare node:http server in
 * the same run: the floor of this machine and of the measurement.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startServer } from '../../src/bootstrap/create-app.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../../src/database/sql-client.js';
import { catchUpEvalReadModels } from '../../src/eval-read-models/catch-up-eval-read-models.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { importResults } from '../../src/ingest/import-results.js';
import { generatedHistory, type HistoryShape } from '../ingest/history-cache.js';
import { DEFAULT_HISTORY } from '../gen-history/write-history.js';
import { machineLoadLine } from '../support/machine-load.js';
import { bareServer, pacedLatency } from '../support/paced-http.js';
import { formatFixed, formatInteger, markdownTable } from '../support/table.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const ENDPOINTS = [
  { name: 'GET /leaderboard', path: '/leaderboard' },
  { name: 'GET /leaderboard?mode=gptme', path: '/leaderboard?mode=gptme' },
  { name: 'GET /trends', path: '/trends' },
  { name: 'GET /trends?rules=gptme&limit=50', path: '/trends?rules=gptme&limit=50' },
  // gptme's whole report (every list unpaged, ~0.85 MB here): what its script prints, not what a page loads.
  { name: 'GET /trends?rules=gptme (whole report)', path: '/trends?rules=gptme' },
];

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

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
    options: {
      models: { type: 'string' },
      tests: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      fresh: { type: 'boolean' },
    },
    strict: true,
  });
  const shape: HistoryShape = {
    models: int('models', values.models, DEFAULT_HISTORY.models),
    tests: int('tests', values.tests, DEFAULT_HISTORY.tests),
    days: int('days', values.days, DEFAULT_HISTORY.days),
    seed: values.seed === undefined ? DEFAULT_HISTORY.seed : Number(values.seed),
  };
  const duration = int('duration', values.duration, 10);
  const rate = int('rate', values.rate, 500);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const { dir } = await generatedHistory(shape);
  const dbName = `lessonloop_bench_read_models_${shape.models}x${shape.tests}x${shape.days}_s${shape.seed}`;
  const url = await ensureDatabase(dbName, values.fresh ?? false);
  const config = loadAppConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'warn', LESSONLOOP_RUN_PROJECTIONS: 'never' });
  const app = await startServer(config);
  try {
    const sql = app.get<SqlClient>(SQL_CLIENT);
    const store = app.get<EventStore>(EVENT_STORE);
    const outcomes = async () =>
      Number((await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM events WHERE type = 'TestOutcomeRecorded'`)).rows[0]!.n);
    if ((await outcomes()) === 0) {
      log(`importing ${dir} ...`);
      const started = Date.now();
      const summary = await importResults(store, dir);
      log(`imported ${formatInteger(summary.outcomes)} outcomes in ${formatFixed((Date.now() - started) / 1000, 1)} s`);
    }
    const total = await outcomes();
    log(`projecting leaderboard, trends, test-history over ${formatInteger(total)} outcomes ...`);
    const projectStarted = Date.now();
    await catchUpEvalReadModels(sql, store, { timeoutMs: 6 * 3600_000 });
    const projectSeconds = (Date.now() - projectStarted) / 1000;
    log(`projected in ${formatFixed(projectSeconds, 1)} s`);

    const address = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${address.port}`;
    const rows: { name: string; first: number | null; p50: number; p99: number; max: number; rps: number; ceiling: number; bad: number; bytes: number }[] = [];
    const measure = (url: string) => pacedLatency(url, { rate, duration });
    let leaderboardBody = '';
    for (const endpoint of ENDPOINTS) {
      // The first request computes the answer from the read model; later ones reuse it until the instance moves.
      const t0 = performance.now();
      const res = await fetch(base + endpoint.path);
      const body = await res.text();
      const first = performance.now() - t0;
      if (!res.ok) throw new Error(`${endpoint.path}: HTTP ${res.status} ${body.slice(0, 200)}`);
      if (endpoint.path === '/leaderboard') leaderboardBody = body;
      const r = await measure(base + endpoint.path);
      rows.push({
        name: endpoint.name,
        first,
        p50: r.p50,
        p99: r.p99,
        max: r.max,
        rps: r.rps,
        ceiling: r.ceiling,
        bad: r.bad,
        bytes: body.length,
      });
      log(`${endpoint.name}: p50 ${r.p50} ms, p99 ${r.p99} ms, max ${formatInteger(r.ceiling)} req/s`);
    }
    // The floor of this machine and of the measurement itself: the same /leaderboard bytes from node:http alone.
    const floor = await bareServer(leaderboardBody);
    try {
      const r = await measure(floor.url);
      rows.push({ name: 'bare node:http, same /leaderboard body', first: null, p50: r.p50, p99: r.p99, max: r.max, rps: r.rps, ceiling: r.ceiling, bad: r.bad, bytes: leaderboardBody.length });
    } finally {
      await floor.close();
    }
    process.stdout.write(
      `\n## bench:read-models — ${formatInteger(total)} outcomes (${shape.models} models x ${shape.tests} tests x ${shape.days} days), ` +
        `PostgreSQL, ${rate} req/s for ${duration} s per endpoint, 10 connections, loopback\n\n` +
        `Read models projected in ${formatFixed(projectSeconds, 1)} s (0 when already up to date).\n\n` +
        markdownTable(
          [
            { header: 'endpoint', cell: (r) => r.name },
            { header: 'first request ms', align: 'right', cell: (r) => (r.first === null ? '–' : formatFixed(r.first, 1)) },
            { header: 'p50 ms', align: 'right', cell: (r) => formatFixed(r.p50, 2) },
            { header: 'p99 ms', align: 'right', cell: (r) => formatFixed(r.p99, 2) },
            { header: 'max ms', align: 'right', cell: (r) => formatFixed(r.max, 2) },
            { header: 'req/s', align: 'right', cell: (r) => formatFixed(r.rps, 0) },
            { header: 'max req/s', align: 'right', cell: (r) => formatInteger(Math.round(r.ceiling)) },
            { header: 'errors/non-2xx', align: 'right', cell: (r) => String(r.bad) },
            { header: 'body bytes', align: 'right', cell: (r) => formatInteger(r.bytes) },
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
