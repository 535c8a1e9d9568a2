import path from 'node:path';
import type { Command } from 'commander';
import { LOCK_FILE_NAME, judge } from '../../database/directory-lock.js';
import { readLockFile } from '../../database/lock-file.js';
import { pgliteDataDir } from '../../database/open-database.js';
import { currentProcess } from '../../database/process-identity.js';
import { CliError } from '../support/known-errors.js';

/** LESSONLOOP_DATA_DIR's default (src/config/app-config.ts). */
const DEFAULT_DATA_DIR = './.lessonloop';

/**
 * Where a command should go: the URL of a lessonloop server, or undefined to open the store in this process.
 *
 * - `--server <url>` (or LESSONLOOP_SERVER): that server, whatever its store.
 * - Otherwise, on the embedded store (no DATABASE_URL), a server that holds the data directory: its lock
 *   records the URL it listens on (src/database/directory-lock.ts), so the command goes through its HTTP API
 *   instead of failing on the lock.
 */
export async function serverTarget(command: Command, env: Record<string, string | undefined> = process.env): Promise<string | undefined> {
  const explicit = (command.optsWithGlobals() as { server?: string }).server ?? blankToUndefined(env.LESSONLOOP_SERVER);
  if (explicit !== undefined) return normalized(explicit);
  if (blankToUndefined(env.DATABASE_URL)) return undefined;
  const dataDir = pgliteDataDir({ LESSONLOOP_DATA_DIR: blankToUndefined(env.LESSONLOOP_DATA_DIR) ?? DEFAULT_DATA_DIR });
  if (dataDir.startsWith('memory://')) return undefined;
  const state = await readLockFile(path.join(dataDir, LOCK_FILE_NAME));
  if (state.kind !== 'complete' || typeof state.owner.url !== 'string') return undefined;
  return judge(state, currentProcess()).kind === 'held' ? normalized(state.owner.url) : undefined;
}

function normalized(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--server must be an http(s) URL, got ${url}`, 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`--server must be an http(s) URL, got ${url}`, 2);
  return parsed.toString().replace(/\/+$/, '');
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
