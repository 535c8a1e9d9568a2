/**
 * Reading gptme logs from the one configured log root (`LESSONLOOP_LOG_ROOT`). A `Log Dir` from another machine
 * is mapped onto the root by foreign-path.ts's rule; nothing outside the root is ever read: every candidate and
 * every file is resolved with realpath (so `..` and symlinks are followed first) and must still lie inside the
 * root's own realpath, and the file is opened with O_NOFOLLOW. Errors come back as values (LogReadError).
 */
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseConversationJsonl, type GptmeMessage } from './conversation-jsonl.js';
import { foreignPathComponents, trailingSuffixes } from './foreign-path.js';
import { logReadError, type LogReadError } from './log-read-error.js';

export const CONVERSATION_FILE = 'conversation.jsonl';
/** A log larger than this is refused as unreadable rather than read into memory. */
export const MAX_LOG_FILE_BYTES = 64 * 1024 * 1024;

export interface LogRoot {
  /** As configured. */
  configured: string;
  /** Its realpath: the boundary every read is checked against. */
  real: string;
}

export type Located<T> = ({ ok: true } & T) | { ok: false; error: LogReadError };

/** The configured root, checked to be a directory; `no-log-root` when unset or unusable. */
export async function openLogRoot(configured: string | undefined): Promise<Located<{ root: LogRoot }>> {
  if (configured === undefined || configured.trim() === '') {
    return { ok: false, error: logReadError('no-log-root', '', 'LESSONLOOP_LOG_ROOT is not set, so no log is read') };
  }
  try {
    const real = await realpath(configured);
    if (!(await stat(real)).isDirectory()) return { ok: false, error: logReadError('no-log-root', configured, 'LESSONLOOP_LOG_ROOT is not a directory') };
    return { ok: true, root: { configured, real } };
  } catch (error) {
    return { ok: false, error: logReadError('no-log-root', configured, `LESSONLOOP_LOG_ROOT cannot be opened (${fsReason(error)})`) };
  }
}

function inside(root: LogRoot, real: string): boolean {
  const base = root.real.endsWith(path.sep) ? root.real : root.real + path.sep;
  return real === root.real || real.startsWith(base);
}

/** The directory under the root a `Log Dir` maps to: its longest trailing suffix that is a directory there. */
export async function locateLogDir(root: LogRoot, logDir: string): Promise<Located<{ dir: string }>> {
  const parsed = foreignPathComponents(logDir);
  if (!parsed.ok) return { ok: false, error: logReadError('outside-root', logDir, `refused: ${parsed.reason}`) };
  for (const suffix of trailingSuffixes(logDir)) {
    let real: string;
    try {
      real = await realpath(path.join(root.real, ...suffix.split('/')));
    } catch {
      continue;
    }
    if (!inside(root, real)) return { ok: false, error: logReadError('outside-root', logDir, `${suffix} under the log root leads outside it (a symlink)`) };
    if ((await stat(real)).isDirectory()) return { ok: true, dir: real };
  }
  return { ok: false, error: logReadError('missing', logDir, `no trailing part of it is a directory under the log root ${root.configured}`) };
}

/** A file of a log dir (`conversation.jsonl`, or e.g. a 2024 run's stdout file), as UTF-8 text. */
export async function readLogText(root: LogRoot, logDir: string, fileName: string): Promise<Located<{ file: string; text: string }>> {
  if (fileName === '' || /[\\/]/.test(fileName) || fileName === '.' || fileName === '..') {
    return { ok: false, error: logReadError('outside-root', fileName, 'a log file name must be one path component') };
  }
  const located = await locateLogDir(root, logDir);
  if (!located.ok) return located;
  const shown = `${logDir}/${fileName}`;
  let real: string;
  try {
    real = await realpath(path.join(located.dir, fileName));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, error: logReadError(missing ? 'missing' : 'unreadable', shown, missing ? `the log dir holds no ${fileName}` : fsReason(error)) };
  }
  if (!inside(root, real)) return { ok: false, error: logReadError('outside-root', shown, 'it is a symlink leading outside the log root') };
  try {
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { ok: false, error: logReadError('unreadable', shown, 'not a regular file') };
      if (info.size > MAX_LOG_FILE_BYTES) return { ok: false, error: logReadError('unreadable', shown, `larger than ${MAX_LOG_FILE_BYTES} bytes`) };
      const bytes = await handle.readFile();
      try {
        return { ok: true, file: real, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
      } catch {
        return { ok: false, error: logReadError('unreadable', shown, 'not valid UTF-8') };
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, error: logReadError('unreadable', shown, fsReason(error)) };
  }
}

/** The messages of a Log Dir's `conversation.jsonl`; any bad line makes the whole log `malformed`. */
export async function readConversation(root: LogRoot, logDir: string): Promise<Located<{ file: string; messages: GptmeMessage[] }>> {
  const read = await readLogText(root, logDir, CONVERSATION_FILE);
  if (!read.ok) return read;
  const parsed = parseConversationJsonl(read.text, `${logDir}/${CONVERSATION_FILE}`);
  return parsed.ok ? { ok: true, file: read.file, messages: parsed.messages } : parsed;
}

function fsReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'EACCES') return 'permission denied (EACCES)';
  if (e.code === 'ENOENT') return 'it does not exist (ENOENT)';
  if (e.code === 'ELOOP') return 'a symlink where none is allowed (ELOOP)';
  return e.code ? `${e.code}: ${e.message}` : String(error);
}
