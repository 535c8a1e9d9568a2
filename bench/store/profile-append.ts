import { parseBenchArgs } from '../support/args.js';
import { createScratchDatabase } from '../support/postgres-database.js';
import { formatFixed, formatInteger, markdownTable } from '../support/table.js';
import { timed } from '../support/timing.js';
import { migrate } from '../../src/database/migrate.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openPgSqlClient } from '../../src/database/pg-sql-client.js';
import { openPgliteSqlClient } from '../../src/database/pglite-sql-client.js';
import type { QueryOptions, QueryResult, SqlClient, SqlExecutor } from '../../src/database/sql-client.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import { RUN_SIZE, STREAMS_PER_BULK_CALL } from './jobs.js';
import { runBatches } from './payload.js';

/**
 * Diagnostic, not part of bench:store: where does an append spend its time on PostgreSQL? Wraps the
 * SqlClient so every statement (and BEGIN/COMMIT) is timed by its first words, then appends `--events`
 * in runs of 100 and in bulk calls. `node dist-bench/bench/store/profile-append.js --events 20000 [--pglite]`
 * (--pglite: an on-disk PGlite in a temp directory instead of a scratch PostgreSQL database).
 */
type Totals = Map<string, { calls: number; ms: number }>;

function label(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 60);
}

function timedExecutor(inner: SqlExecutor, totals: Totals): SqlExecutor {
  const record = (key: string, ms: number) => {
    const t = totals.get(key) ?? { calls: 0, ms: 0 };
    t.calls++;
    t.ms += ms;
    totals.set(key, t);
  };
  const wrapped: SqlExecutor = {
    async query<R>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
      const started = performance.now();
      try {
        return await inner.query<R>(sql, params, options);
      } finally {
        record(label(sql), performance.now() - started);
      }
    },
  };
  if (inner.copyFrom) {
    const copyFrom = inner.copyFrom.bind(inner);
    wrapped.copyFrom = async (sql, data) => {
      const started = performance.now();
      try {
        return await copyFrom(sql, data);
      } finally {
        record(label(sql), performance.now() - started);
      }
    };
  }
  return wrapped;
}

function timedClient(inner: SqlClient, totals: Totals): SqlClient {
  const base = timedExecutor(inner, totals);
  return {
    kind: inner.kind,
    query: base.query,
    listen: (channel, onNotify) => inner.listen(channel, onNotify),
    close: () => inner.close(),
    async transaction(fn) {
      const started = performance.now();
      let inside = 0;
      try {
        return await inner.transaction(async (tx) => {
          const t0 = performance.now();
          try {
            return await fn(timedExecutor(tx, totals));
          } finally {
            inside = performance.now() - t0;
          }
        });
      } finally {
        // What the transaction cost beyond its statements: pool checkout, BEGIN and COMMIT (the WAL flush).
        const t = totals.get('(BEGIN + COMMIT + pool)') ?? { calls: 0, ms: 0 };
        t.calls++;
        t.ms += performance.now() - started - inside;
        totals.set('(BEGIN + COMMIT + pool)', t);
      }
    },
  };
}

function print(title: string, totals: Totals, events: number, seconds: number): void {
  const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const all = rows.reduce((sum, [, t]) => sum + t.ms, 0);
  console.log(`\n${title}: ${formatInteger(events)} events in ${formatFixed(seconds, 2)} s = ${formatInteger(events / seconds)}/s`);
  console.log(
    markdownTable<[string, { calls: number; ms: number }]>(
      [
        { header: 'statement', cell: ([k]) => k },
        { header: 'calls', align: 'right', cell: ([, t]) => formatInteger(t.calls) },
        { header: 'total ms', align: 'right', cell: ([, t]) => formatInteger(t.ms) },
        { header: 'ms/call', align: 'right', cell: ([, t]) => formatFixed(t.ms / t.calls, 3) },
        { header: 'share', align: 'right', cell: ([, t]) => `${formatFixed((100 * t.ms) / all, 1)}%` },
      ],
      rows,
    ),
  );
}

async function openBackend(pglite: boolean): Promise<{ sql: SqlClient; dispose(): Promise<void> }> {
  if (pglite) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-profile-pglite-'));
    const sql = await openPgliteSqlClient({ dataDir: dir });
    return { sql, dispose: () => rm(dir, { recursive: true, force: true }) };
  }
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const database = await createScratchDatabase(server, `bench_profile_${process.pid}`);
  const sql = await openPgSqlClient({ connectionString: database.url });
  return { sql, dispose: () => database.drop() };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const pglite = argv.includes('--pglite');
  const { events } = parseBenchArgs(argv.filter((a) => a !== '--pglite'), 20_000);
  const { sql, dispose } = await openBackend(pglite);
  try {
    await migrate(sql);
    const totals: Totals = new Map();
    const store = new SqlEventStore(timedClient(sql, totals));
    for (const b of runBatches('warmup', 2_000, RUN_SIZE)) await store.appendToStream(b.streamId, b.events, { expectedRevision: 'no_stream' });
    totals.clear();
    const batches = [...runBatches('append', events, RUN_SIZE)];
    const append = await timed(async () => {
      for (const b of batches) await store.appendToStream(b.streamId, b.events, { expectedRevision: 'no_stream' });
    });
    print(`${sql.kind}: appendToStream, ${RUN_SIZE} events per call`, totals, events, append.seconds);

    totals.clear();
    const bulk = [...runBatches('bulk', events, RUN_SIZE)];
    const many = await timed(async () => {
      for (let i = 0; i < bulk.length; i += STREAMS_PER_BULK_CALL) {
        const call = bulk.slice(i, i + STREAMS_PER_BULK_CALL);
        await store.appendMany(call.map((b) => ({ streamId: b.streamId, events: b.events, expectedRevision: 'no_stream' })));
      }
    });
    print(`${sql.kind}: appendMany, ${STREAMS_PER_BULK_CALL} x ${RUN_SIZE} per call`, totals, events, many.seconds);

    totals.clear();
    const readAll = await timed(async () => {
      let after;
      let read = 0;
      for (;;) {
        const page = await store.readAll({ after, maxCount: 1000 });
        if (page.length === 0) return read;
        read += page.length;
        after = page[page.length - 1]!.position;
      }
    });
    print(`${sql.kind}: readAll, pages of 1000`, totals, readAll.value, readAll.seconds);

    totals.clear();
    const subscribe = await timed(async () => {
      const subscription = store.subscribeToAll({ batchSize: 1000 });
      let read = 0;
      for await (const message of subscription) {
        if (message.kind === 'caught-up') break;
        read += message.events.length;
      }
      await subscription.close();
      return read;
    });
    print(`${sql.kind}: subscribeToAll until caught-up`, totals, subscribe.value, subscribe.seconds);
    await store.close();
  } finally {
    await sql.close();
    await dispose();
  }
}

await main();
