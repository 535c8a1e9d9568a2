import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataDirectoryLockedError } from './database-errors.js';
import { createExclusive, readLockFile, removeIfUnchanged, type LockFileState, type LockRecord } from './lock-file.js';
import { currentProcess, isAlive, startOf, type ProcessIdentity } from './process-identity.js';

export interface DirectoryLock {
  release(): Promise<void>;
}

export const LOCK_FILE_NAME = 'lessonloop.lock';
/** An empty or half-written lock this young may be another process between creating and writing it. */
export const INCOMPLETE_LOCK_GRACE_MS = 5_000;

/** The locks this module instance holds, so a second open in this process is told apart from a stale lock. */
const held = new Map<string, { content: string }>();

/**
 * Adds the URL this process serves HTTP on to its lock of `dir`, so a CLI command started beside the server
 * talks to it instead of failing on the lock (src/cli/transport/choose-transport.ts reads it). The file is
 * replaced whole (rename), so a reader never sees it half-written.
 */
export async function recordServerUrl(dir: string, url: string): Promise<void> {
  const file = path.join(path.resolve(dir), LOCK_FILE_NAME);
  const lock = held.get(file);
  if (lock) {
    const record = { ...(JSON.parse(lock.content) as LockRecord), url };
    const content = `${JSON.stringify(record)}\n`;
    const temporary = `${file}.${process.pid}.url.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, file);
    lock.content = content;
  }
}

/**
 * PGlite has no postmaster to stop a second process from opening the same data directory, which would
 * corrupt it. A lock file naming the owner (pid, host, process start) does that job. It is created whole in
 * one step, so two processes starting at once never both win; a lock whose owner is gone (dead pid, or the
 * same pid in a later life, as PID 1 in a restarted container) is taken over at once.
 */
export async function acquireDirectoryLock(dir: string): Promise<DirectoryLock> {
  const file = path.join(path.resolve(dir), LOCK_FILE_NAME);
  if (held.has(file)) throw new DataDirectoryLockedError(`The data directory ${dir} is already open in this process`);
  const me = currentProcess();
  const record: LockRecord = { ...me, lockedAt: new Date().toISOString() };
  const content = `${JSON.stringify(record)}\n`;
  for (let takeovers = 0; ; ) {
    try {
      await createExclusive(file, content);
      const lock = { content };
      held.set(file, lock);
      return lockHandle(file, lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const state = await readLockFile(file);
    if (state.kind === 'absent') continue;
    const verdict = judge(state, me);
    if (verdict.kind === 'held') throw new DataDirectoryLockedError(`The data directory ${dir} ${verdict.reason}`);
    if (verdict.kind === 'wait') {
      await sleep(50);
      continue;
    }
    if (++takeovers > 50) throw new Error(`Could not lock the data directory ${dir}: its stale lock keeps changing`);
    await takeOver(file, state);
  }
}

type Verdict = { kind: 'held'; reason: string } | { kind: 'stale'; reason: string } | { kind: 'wait' };

/** Whether the lock in the file belongs to a live process (then it is refused), or may be taken over. */
export function judge(state: Exclude<LockFileState, { kind: 'absent' }>, me: ProcessIdentity): Verdict {
  if (state.kind === 'incomplete') {
    return state.ageMs < INCOMPLETE_LOCK_GRACE_MS ? { kind: 'wait' } : { kind: 'stale', reason: 'an empty lock file' };
  }
  const owner = state.owner;
  const who = `pid ${owner.pid}${owner.host ? ` on ${owner.host}` : ''}`;
  if (owner.host !== undefined && owner.host !== me.host) {
    return {
      kind: 'held',
      reason: `is locked by ${who}, another machine or container, which cannot be checked from here; if nothing there uses it, delete ${LOCK_FILE_NAME}`,
    };
  }
  if (owner.pid === me.pid) {
    // Our pid but not our lock (held would have said so): an earlier life of this pid, unless the same start.
    if (owner.start === me.start) return { kind: 'held', reason: 'is already open in this process' };
    return { kind: 'stale', reason: `left by an earlier process with this pid (${owner.pid})` };
  }
  if (!isAlive(owner.pid)) return { kind: 'stale', reason: `left by ${who}, which is no longer running` };
  const start = owner.start === undefined ? undefined : startOf(owner.pid);
  if (start !== undefined && start !== owner.start) return { kind: 'stale', reason: `left by ${who}, a pid reused since` };
  return { kind: 'held', reason: `is in use by another lessonloop process (${who})` };
}

/**
 * Removes a stale lock under a short-lived guard file, and only if it is still the very file judged stale:
 * two processes that both found it stale would otherwise each remove it, and the slower one would remove the
 * fresh lock of the faster.
 */
async function takeOver(file: string, stale: Exclude<LockFileState, { kind: 'absent' }>): Promise<void> {
  const guard = `${file}.takeover`;
  const me = currentProcess();
  try {
    await createExclusive(guard, `${JSON.stringify({ ...me, lockedAt: new Date().toISOString() })}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const state = await readLockFile(guard);
    // A guard is held for a few milliseconds; one whose owner died is cleared for the next attempt.
    if (state.kind !== 'absent' && judge(state, me).kind === 'stale') await removeIfUnchanged(guard, state);
    await sleep(20);
    return;
  }
  try {
    await removeIfUnchanged(file, stale);
  } finally {
    await rm(guard, { force: true });
  }
}

function lockHandle(file: string, lock: { content: string }): DirectoryLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      held.delete(file);
      const state = await readLockFile(file);
      // Never remove a lock that is no longer ours (someone deleted ours by hand and another process locked).
      if (state.kind === 'complete' && state.raw === lock.content) await rm(file, { force: true });
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
