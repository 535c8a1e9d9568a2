/**
 * The embedded store's directory lock on its own: who counts as the owner of a lock file (pid, host, process
 * start), when a lock is stale, and that an empty lock is never taken while it may still be being written.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { acquireDirectoryLock, INCOMPLETE_LOCK_GRACE_MS, LOCK_FILE_NAME } from '../../src/database/directory-lock.js';
import { currentProcess } from '../../src/database/process-identity.js';

let dir: string;
let lockFile: string;
const me = currentProcess();
const owner = (pid: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ pid, host: me.host, start: 'boot/1', lockedAt: '2026-01-01T00:00:00.000Z', ...extra });
const lockContent = async () => JSON.parse(await readFile(lockFile, 'utf8')) as Record<string, unknown>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-lock-'));
  lockFile = path.join(dir, LOCK_FILE_NAME);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('acquireDirectoryLock', () => {
  it('writes pid, host and process start in one complete JSON record, and removes it on release', async () => {
    const lock = await acquireDirectoryLock(dir);
    expect(await lockContent()).toMatchObject({ pid: process.pid, host: os.hostname(), start: me.start });
    await lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses a second open in the same process', async () => {
    const lock = await acquireDirectoryLock(dir);
    await expect(acquireDirectoryLock(dir)).rejects.toThrow('already open in this process');
    await lock.release();
  });

  it('takes over a lock holding its own pid from an earlier start (PID 1 in a restarted container)', async () => {
    await writeFile(lockFile, owner(process.pid, { start: `${me.start}-before` }));
    const lock = await acquireDirectoryLock(dir);
    expect(await lockContent()).toMatchObject({ pid: process.pid, start: me.start });
    await lock.release();
  });

  it('refuses a lock with its own pid and its own start that this module does not hold (another thread)', async () => {
    await writeFile(lockFile, owner(process.pid, { start: me.start }));
    await expect(acquireDirectoryLock(dir)).rejects.toThrow('already open in this process');
    expect(await lockContent()).toMatchObject({ start: me.start });
  });

  it('takes a complete lock of a dead process at once, in either format', async () => {
    for (const stale of [owner(999_999_999), '999999999']) {
      await writeFile(lockFile, stale);
      const started = Date.now();
      const lock = await acquireDirectoryLock(dir);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await lockContent()).toMatchObject({ pid: process.pid });
      await lock.release();
    }
  });

  it('refuses a live process, and takes a live pid whose start differs from the recorded one (pid reused)', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(lockFile, owner(child.pid!, { start: undefined }));
      await expect(acquireDirectoryLock(dir)).rejects.toThrow(`in use by another lessonloop process (pid ${child.pid} on ${me.host})`);
      if (existsSync(`/proc/${child.pid}/stat`)) {
        await writeFile(lockFile, owner(child.pid!, { start: 'another-boot/12' }));
        const lock = await acquireDirectoryLock(dir);
        await lock.release();
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a lock of another host, naming it', async () => {
    await writeFile(lockFile, owner(999_999_999, { host: 'elsewhere' }));
    await expect(acquireDirectoryLock(dir)).rejects.toThrow(/pid 999999999 on elsewhere, another machine or container/);
  });

  it('never takes an empty lock while it is young: it waits, and yields to the owner who completes it', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(lockFile, '');
      const attempt = acquireDirectoryLock(dir);
      const outcome = attempt.then(
        () => 'won',
        (error: Error) => error.message,
      );
      await new Promise((r) => setTimeout(r, 400));
      expect(await readFile(lockFile, 'utf8')).toBe('');
      await writeFile(lockFile, owner(child.pid!, { start: undefined }));
      expect(await outcome).toMatch(/in use by another lessonloop process/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it(`takes an empty lock older than ${INCOMPLETE_LOCK_GRACE_MS} ms`, async () => {
    await writeFile(lockFile, '');
    const old = new Date(Date.now() - INCOMPLETE_LOCK_GRACE_MS - 1000);
    await utimes(lockFile, old, old);
    const lock = await acquireDirectoryLock(dir);
    expect(await lockContent()).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('does not remove on release a lock that is no longer its own', async () => {
    const lock = await acquireDirectoryLock(dir);
    await writeFile(lockFile, owner(12345));
    await lock.release();
    expect(await lockContent()).toMatchObject({ pid: 12345 });
  });
});
