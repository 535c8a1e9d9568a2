/**
 * `npm run bench:bandit [-- --sessions 100000 --lessons 150 --clients 8 --store pg,pglite --profile --short
 * --database ll_bandit_bench]`: the bandit's hot path through the real app over HTTP. A server process
 * (server.ts: the whole app with its projections and lifecycle policy, as `serve` runs it) with `--lessons`
 * lessons; `--clients` concurrent clients each run sessions back to back: `POST /sessions/:id/lesson-selection`
 * (top 3 of the matching lessons), then `POST /sessions/:id/outcome` with a reward drawn from the selected
 * lessons' true rates. At 1k, 10k and 100k sessions (and at the end) it prints p50/p99 of selection and outcome
 * over the sessions just before the mark, sessions per second over that window, and the server's RSS; then each
 * figure at the last mark over its value at 1k (the targets: p99 and RSS within 1.5x). `--short`: 3,000
 * sessions. The machine's load average is printed beside each store's run. PostgreSQL: a scratch database
 * `--database` (default `ll_bandit_bench`; another name lets two runs share a server) on BENCH_DATABASE_URL /
 * DATABASE_URL's server (dropped after); embedded: PGlite in a temporary directory. `--profile` writes the
 * server's CPU profile (node --cpu-prof) to bench/bandit/profiles/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hashToken } from '../../src/auth/token-hash.js';
import { integerArg, listArg } from '../support/args.js';
import { machineLoadLine } from '../support/machine-load.js';
import { postgresCpuMs, processCpuMs } from '../support/process-cpu.js';
import { createScratchDatabase } from '../support/postgres-database.js';
import { formatFixed, formatInteger, markdownTable } from '../support/table.js';
import { runClients, type MarkReport } from './clients.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = 'll_bench-bandit-writer';
const here = path.dirname(fileURLToPath(import.meta.url));

interface Server {
  child: ChildProcess;
  base: string;
  /** The server's heap after its last full GC, MB (null before the first). */
  heapAfterGcMb: number | null;
}

async function startServerProcess(env: Record<string, string>, profileDir: string | null): Promise<Server> {
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...execArgv, path.join(here, 'server.js')], {
    env: { ...process.env, ...env, LESSONLOOP_API_TOKENS: `bench:read,write:${hashToken(TOKEN)}` },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench server exited (code ${code}) before it was ready`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  child.removeAllListeners('exit');
  const server: Server = { child, base: `http://127.0.0.1:${port}`, heapAfterGcMb: null };
  child.on('message', (message: { heapAfterGcMb?: number }) => (server.heapAfterGcMb = message.heapAfterGcMb ?? server.heapAfterGcMb));
  return server;
}

async function stopServerProcess(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

const loadAverages = () => `load ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}`;

/** The server's resident set now, in MB (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function runOnStore(
  store: 'pg' | 'pglite',
  options: { sessions: number; lessons: number; clients: number; profile: boolean; database: string },
): Promise<{ marks: MarkReport[]; load: string }> {
  const profileDir = options.profile ? path.join(here, '..', '..', '..', 'bench', 'bandit', 'profiles', store) : null;
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  let database: string | null = null;
  if (store === 'pg') {
    const db = await createScratchDatabase(SERVER_URL, options.database);
    database = new URL(db.url).pathname.slice(1);
    env = { DATABASE_URL: db.url };
    cleanup = () => db.drop();
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'll-bandit-bench-'));
    env = { LESSONLOOP_DATA_DIR: dir };
    delete process.env.DATABASE_URL;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  env.BENCH_LESSONS = String(options.lessons);
  const server = await startServerProcess(env, profileDir);
  const loadBefore = loadAverages();
  try {
    const marks = [1_000, 10_000, 100_000].filter((m) => m < options.sessions).concat(options.sessions);
    const reports = await runClients({
      base: server.base,
      token: TOKEN,
      sessions: options.sessions,
      clients: options.clients,
      marks,
      rss: () => rssMb(server.child.pid!),
      heapAfterGc: () => server.heapAfterGcMb,
      cpu: () => ({ server: processCpuMs(server.child.pid!), postgres: database ? postgresCpuMs(database) : null }),
      log: (line) => process.stderr.write(`[${store}] ${line}\n`),
    });
    return { marks: reports, load: `${loadBefore} at the start, ${loadAverages()} at the end` };
  } finally {
    await stopServerProcess(server);
    await cleanup();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      sessions: { type: 'string' },
      lessons: { type: 'string' },
      clients: { type: 'string' },
      store: { type: 'string' },
      profile: { type: 'boolean' },
      short: { type: 'boolean' },
      database: { type: 'string' },
    },
    strict: true,
  });
  const sessions = integerArg('sessions', values.sessions, values.short ? 3_000 : 100_000);
  const lessons = integerArg('lessons', values.lessons, 150);
  const clients = integerArg('clients', values.clients, 8);
  const stores = listArg(values.store ?? 'pg,pglite');
  for (const s of stores) if (s !== 'pg' && s !== 'pglite') throw new Error(`--store takes pg and/or pglite, got ${s}`);
  const rows: (MarkReport & { store: string })[] = [];
  const loads: string[] = [];
  for (const store of stores as ('pg' | 'pglite')[]) {
    const name = store === 'pg' ? 'PostgreSQL' : 'PGlite (embedded)';
    const database = values.database ?? 'll_bandit_bench';
    const { marks, load } = await runOnStore(store, { sessions, lessons, clients, profile: values.profile ?? false, database });
    rows.push(...marks.map((m) => ({ ...m, store: name })));
    loads.push(`${name}: ${load}`);
  }
  const ms = (n: number) => formatFixed(n, 1);
  process.stdout.write(
    `\n## bench:bandit — ${formatInteger(sessions)} sessions (selection + outcome) over ${lessons} lessons, top 3, ${clients} clients over HTTP\n\n` +
      'Latencies, sessions/s and CPU per session over the window of sessions just before each mark; RSS of the server process at the mark, ' +
        "and its V8 heap in use after its last full GC (what it keeps; '-': none yet). " +
        'CPU per session (from /proc) is the figure to compare between runs on a loaded machine; PGlite runs inside the server process.\n\n' +
      markdownTable(
        [
          { header: 'store', cell: (r) => r.store },
          { header: 'sessions', align: 'right', cell: (r) => formatInteger(r.mark) },
          { header: 'window', align: 'right', cell: (r) => formatInteger(r.window) },
          { header: 'select p50 ms', align: 'right', cell: (r) => ms(r.select.p50) },
          { header: 'select p99 ms', align: 'right', cell: (r) => ms(r.select.p99) },
          { header: 'outcome p50 ms', align: 'right', cell: (r) => ms(r.outcome.p50) },
          { header: 'outcome p99 ms', align: 'right', cell: (r) => ms(r.outcome.p99) },
          { header: 'sessions/s', align: 'right', cell: (r) => formatFixed(r.sessionsPerSecond, 0) },
          { header: 'overall sessions/s', align: 'right', cell: (r) => formatFixed(r.overallSessionsPerSecond, 0) },
          { header: 'RSS MB', align: 'right', cell: (r) => formatFixed(r.rssMb, 0) },
          { header: 'heap after GC MB', align: 'right', cell: (r) => (r.heapAfterGcMb === null ? '-' : formatFixed(r.heapAfterGcMb, 0)) },
          { header: 'server CPU ms/session', align: 'right', cell: (r) => ms(r.serverCpuMsPerSession) },
          {
            header: 'PostgreSQL CPU ms/session',
            align: 'right',
            cell: (r) => (r.postgresCpuMsPerSession === null ? 'in server' : ms(r.postgresCpuMsPerSession)),
          },
        ],
        rows,
      ) +
      `\n\n${ratioTable(rows)}\n\n${loads.map((l) => `- ${l}`).join('\n')}\n\n${machineLoadLine()}\n`,
  );
}

/** Each store's figures at its last mark over their value at 1k sessions (the targets ask for p99 and RSS within 1.5x). */
function ratioTable(rows: (MarkReport & { store: string })[]): string {
  const ratios = [...new Set(rows.map((r) => r.store))].flatMap((store) => {
    const own = rows.filter((r) => r.store === store);
    const first = own.find((r) => r.mark === 1_000);
    const last = own.at(-1)!;
    return first && last !== first ? [{ store, first, last }] : [];
  });
  if (ratios.length === 0) return 'No ratio: the run did not pass 1,000 sessions.';
  const x = (a: number, b: number) => `${formatFixed(a / b, 2)}x`;
  return markdownTable(
    [
      { header: 'store', cell: (r) => r.store },
      { header: 'ratio', cell: (r) => `${formatInteger(r.last.mark)} / 1,000` },
      { header: 'select p99', align: 'right', cell: (r) => x(r.last.select.p99, r.first.select.p99) },
      { header: 'outcome p99', align: 'right', cell: (r) => x(r.last.outcome.p99, r.first.outcome.p99) },
      { header: 'sessions/s', align: 'right', cell: (r) => x(r.last.sessionsPerSecond, r.first.sessionsPerSecond) },
      { header: 'RSS', align: 'right', cell: (r) => x(r.last.rssMb, r.first.rssMb) },
      {
        header: 'heap after GC',
        align: 'right',
        cell: (r) => (r.last.heapAfterGcMb === null || r.first.heapAfterGcMb === null ? '-' : x(r.last.heapAfterGcMb, r.first.heapAfterGcMb)),
      },
    ],
    ratios,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
