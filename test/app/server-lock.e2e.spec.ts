/**
 * The embedded store's lock with real servers (PGlite only: the lock guards PGlite's data directory; the
 * PostgreSQL run starts these servers without DATABASE_URL). A server killed with SIGKILL leaves its lock
 * behind; the next one starts even when it got the same pid (PID 1 in a restarted container), and finds what
 * the first one wrote. Two servers started at once on one directory: one serves, the other says why not.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCK_FILE_NAME } from '../../src/database/directory-lock.js';
import { ensureCompiled } from '../support/compiled.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { API_TOKENS, csvRow, CURRENT_HEADER, WRITE_AUTH } from '../ingest-http/http-test-support.js';

let dir: string;
const servers: ServerProcess[] = [];
const start = (waitForGo = false) => {
  const server = spawnServer({ env: { LESSONLOOP_DATA_DIR: dir, LESSONLOOP_API_TOKENS: API_TOKENS }, waitForGo });
  servers.push(server);
  return server;
};
const lockFile = () => path.join(dir, 'pgdata', LOCK_FILE_NAME);
const readLock = async () => JSON.parse(await readFile(lockFile(), 'utf8')) as { pid: number; start: string };

beforeAll(async () => {
  if (!process.env.DATABASE_URL?.trim()) await ensureCompiled();
}, 180_000);
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-server-lock-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.kill()));
  await rm(dir, { recursive: true, force: true });
});

/** Polls a URL until it answers `wanted` or the time is up; the last status seen. */
async function statusWithin(url: string, wanted: number, ms: number): Promise<number> {
  const until = Date.now() + ms;
  for (;;) {
    const status = (await fetch(url)).status;
    if (status === wanted || Date.now() > until) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The servers never use DATABASE_URL, so CI's PostgreSQL pass would only repeat the PGlite pass's run.
const describeInPglitePass = process.env.DATABASE_URL?.trim() ? describe.skip : describe;

describeInPglitePass('embedded store lock with real servers (PGlite pass only: it guards the embedded data directory)', () => {
  it('restarts after a SIGKILL on the same directory when the new process has the stale lock’s pid', async () => {
    const first = start();
    const url = await first.listening;
    const posted = await fetch(`${url}/eval-runs/csv?runId=20260101_000000Z`, {
      method: 'POST',
      headers: { authorization: WRITE_AUTH, 'content-type': 'text/csv' },
      body: `${CURRENT_HEADER}\n${csvRow()}\n`,
    });
    expect(posted.status).toBe(201);
    const left = await readLock();
    expect(left.pid).toBe(first.pid);
    await first.kill('SIGKILL');

    const second = start(true);
    // The stale lock as a restarted container finds it: its own pid, the start of the killed process.
    await writeFile(lockFile(), JSON.stringify({ ...left, pid: second.pid }));
    second.go();
    const secondUrl = await second.listening;
    expect(await readLock()).toMatchObject({ pid: second.pid });
    expect((await readLock()).start).not.toBe(left.start);
    // The run is in the log; the eval-runs read model serves it once the new server's projection has caught up.
    expect(await statusWithin(`${secondUrl}/eval-runs/20260101_000000Z`, 200, 60_000)).toBe(200);
    await second.kill('SIGTERM');
    await expect(readFile(lockFile(), 'utf8')).rejects.toThrow(/ENOENT/);
  }, 240_000);

  // The outcomes are read by index before any sorting: sorting them in place once named the winner the loser,
  // and the test then waited forever for a serving process to exit.
  it('lets exactly one of two servers started at once on one directory serve', async () => {
    const pair = [start(true), start(true)];
    pair.forEach((s) => s.go());
    const outcomes = await Promise.all(pair.map((s) => s.listening.then(() => 'serving' as const, () => 'refused' as const)));
    expect([...outcomes].sort()).toEqual(['refused', 'serving']);
    const loser = pair[outcomes.indexOf('refused')]!;
    const winner = pair[outcomes.indexOf('serving')]!;
    expect(await loser.exited).toBe(1);
    expect(loser.stderr()).toMatch(
      new RegExp(`lessonloop: The data directory .* is in use by another lessonloop process \\(pid ${winner.pid}\\b`),
    );
    expect((await readLock()).pid).toBe(winner.pid);
    expect((await fetch(`${await winner.listening}/health`)).status).toBe(200);
  }, 240_000);
});
