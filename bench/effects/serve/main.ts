/**
 * `npm run bench:effects-serve [-- --sessions 20000 --lessons 64 --rate 200 --duration 10 --draws 20]`: p50/p99
 * of `GET /lessons/:id/effect` at a fixed request rate on loopback, beside a bare node:http server sending the
 * same bytes, measured the same way in the same run (bench/support/paced-http.ts, as bench:read-models).
 * The planted sessions world is generated in memory and bulk appended to a scratch PostgreSQL database, and
 * lesson-effects is built by the projection engine; the lesson asked for is the one with the most outcomes
 * (the largest evidence list). Goal (#16): p99 at 200 req/s <= 2x the bare server's.
 */
import { parseArgs } from 'node:util';
import { startServer } from '../../../src/bootstrap/create-app.js';
import { loadAppConfig } from '../../../src/config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../../../src/database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../../../src/event-store/event-store.port.js';
import { integerArg } from '../../support/args.js';
import { machineLoadLine } from '../../support/machine-load.js';
import { bareServer, pacedLatency, type PacedResult } from '../../support/paced-http.js';
import { createScratchDatabase } from '../../support/postgres-database.js';
import { formatFixed, formatInteger, markdownTable } from '../../support/table.js';
import { rebuildEffects } from '../rebuild/rebuild-effects.js';
import { worldLogChunks, type WorldLogShape } from '../world-log.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const GOAL = 2;
/** The build is setup, not measured: a lease long enough that a loaded machine's commits are not cut off. */
const SETUP_LEASE_MS = 60_000;

const { values } = parseArgs({
  options: {
    sessions: { type: 'string' },
    lessons: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    draws: { type: 'string' },
  },
  strict: true,
});
const shape: WorldLogShape = {
  sessions: integerArg('sessions', values.sessions, 20_000),
  chunk: 20_000,
  lessons: integerArg('lessons', values.lessons, 64),
  holdoutRate: 0.1,
  inclusionDraws: integerArg('draws', values.draws, 20, 0),
};
const rate = integerArg('rate', values.rate, 200);
const duration = integerArg('duration', values.duration, 10);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const loadBefore = machineLoadLine();
  const database = await createScratchDatabase(SERVER_URL, 'bench_effects_serve');
  const app = await startServer(loadAppConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn', LESSONLOOP_RUN_PROJECTIONS: 'never' }));
  try {
    const store = app.get<EventStore>(EVENT_STORE);
    const sql = app.get<SqlClient>(SQL_CLIENT);
    let events = 0;
    for (const chunk of worldLogChunks(shape)) {
      await store.appendMany(chunk.appends);
      events += chunk.events;
    }
    const built = await rebuildEffects({ kind: 'rebuild', url: database.url, projections: ['lesson-effects'], readBatch: 5000, commitBatch: 100_000, rssMarks: [], leaseTtlMs: SETUP_LEASE_MS });
    log(`${formatInteger(events)} events appended; lesson-effects built in ${formatFixed(built.seconds, 1)} s`);
    const { rows } = await sql.query<{ doc_key: string; n: string }>(
      `SELECT doc_key, (doc->>'outcomes')::text AS n FROM lesson_effect_documents
        WHERE doc_key LIKE 'id:%' AND doc_key NOT LIKE '%@r%' ORDER BY (doc->>'outcomes')::int DESC, doc_key LIMIT 1`,
    );
    const lessonId = rows[0]!.doc_key.slice(3);
    const { port } = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${port}/lessons/${lessonId}/effect`;
    const t0 = performance.now();
    const res = await fetch(url);
    const body = await res.text();
    const first = performance.now() - t0;
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${body.slice(0, 300)}`);
    const ours = await pacedLatency(url, { rate, duration });
    log(`GET /lessons/${lessonId}/effect: p50 ${ours.p50} ms, p99 ${ours.p99} ms`);
    const floor = await bareServer(body);
    let bare: PacedResult;
    try {
      bare = await pacedLatency(floor.url, { rate, duration });
    } finally {
      await floor.close();
    }
    const ratio = ours.p99 / Math.max(bare.p99, 1);
    type Row = PacedResult & { name: string };
    const table = markdownTable<Row>(
      [
        { header: 'server', cell: (r) => r.name },
        { header: 'p50 ms', align: 'right', cell: (r) => formatFixed(r.p50, 0) },
        { header: 'p99 ms', align: 'right', cell: (r) => formatFixed(r.p99, 0) },
        { header: 'max ms', align: 'right', cell: (r) => formatFixed(r.max, 0) },
        { header: 'req/s', align: 'right', cell: (r) => formatFixed(r.rps, 0) },
        { header: 'max req/s', align: 'right', cell: (r) => formatInteger(Math.round(r.ceiling)) },
        { header: 'errors/non-2xx', align: 'right', cell: (r) => String(r.bad) },
      ],
      [
        { name: `GET /lessons/${lessonId}/effect (${rows[0]!.n} outcomes)`, ...ours },
        { name: 'bare node:http, same bytes', ...bare },
      ],
    );
    const pass = ratio <= GOAL && ours.bad === 0 && ours.rps >= rate * 0.95;
    process.stdout.write(
      `\n## bench:effects-serve — ${formatInteger(events)} events (${formatInteger(shape.sessions)} sessions, ${shape.lessons} lessons), PostgreSQL, ` +
        `${rate} req/s for ${duration} s, 10 connections, loopback; body ${formatInteger(Buffer.byteLength(body))} bytes, first request ${formatFixed(first, 1)} ms\n\n` +
        `${table}\n\n| p99 ratio (ours / bare; bare floored at 1 ms) | goal | |\n|--:|---|---|\n| ${formatFixed(ratio, 2)} | <= ${GOAL} | ${pass ? 'PASS' : 'FAIL'} |\n\n` +
        `before: ${loadBefore}\nafter:  ${machineLoadLine()}\n`,
    );
    if (!pass) process.exitCode = 1;
  } finally {
    await app.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
