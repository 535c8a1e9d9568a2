import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { ProcessIdentity } from './process-identity.js';

/** What a lock file holds: the owner, and when it took the lock (for people reading the file). */
export interface LockRecord extends ProcessIdentity {
  lockedAt: string;
  /** Where the owner serves its HTTP API, once it listens (a `serve` process). */
  url?: string;
}

export type LockFileState =
  | { kind: 'absent' }
  /** Written whole: every lock this code writes. `ino` and `raw` identify exactly this file later. */
  | { kind: 'complete'; owner: Partial<LockRecord> & { pid: number }; ino: number; raw: string }
  /** Empty or cut short: another process in the instant between creating and writing it, or one that died there. */
  | { kind: 'incomplete'; ageMs: number; ino: number; raw: string };

/**
 * Creates `file` holding `content`, or fails with EEXIST when it exists: the content is written to a private
 * temporary file first and linked into place (link never overwrites), so nobody ever sees the lock empty or
 * half-written. Where the filesystem has no hard links, an exclusive open and one write do the same job
 * nearly as well.
 */
export async function createExclusive(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { flag: 'wx' });
  try {
    await link(temporary, file);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  const handle = await open(file, 'wx');
  try {
    await handle.write(content);
  } finally {
    await handle.close();
  }
}

export async function readLockFile(file: string): Promise<LockFileState> {
  let raw: string;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
    raw = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  const owner = parseOwner(raw);
  if (owner) return { kind: 'complete', owner, ino: Number(info.ino), raw };
  return { kind: 'incomplete', ageMs: Math.max(0, Date.now() - info.mtimeMs), ino: Number(info.ino), raw };
}

/** JSON as written now, or a bare pid as earlier versions wrote it. */
function parseOwner(raw: string): (Partial<LockRecord> & { pid: number }) | undefined {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    return typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0 ? { ...value, pid: value.pid } : undefined;
  } catch {
    return undefined;
  }
}

/** Removes `file` only if it is still exactly the file that was read (same inode, same content). */
export async function removeIfUnchanged(file: string, seen: { ino: number; raw: string }): Promise<boolean> {
  const now = await readLockFile(file);
  if (now.kind === 'absent' || now.ino !== seen.ino || now.raw !== seen.raw) return false;
  await rm(file, { force: true });
  return true;
}
