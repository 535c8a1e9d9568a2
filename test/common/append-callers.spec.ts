/**
 * Writes reach the store one way: handleCommand (read, fold, decide, append with the expected revision).
 * Only the bulk importers append directly, many streams in one atomic write. This scans src/ for the store's
 * append methods outside the store itself and fails naming any other file that calls them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(process.cwd(), 'src');
/** The store's implementations and wrappers (catalogue validation) define and forward the methods. */
const STORE = 'event-store/';
const APPEND_METHODS = /\b(appendToStream|appendMany)\b/;

const ALLOWED: Record<string, string> = {
  'common/commands/handle-command.ts': 'handleCommand: the one command path',
  'ingest/import-results.ts': 'bulk importer: the run import (lessonloop import-results), batches of runs in one appendMany',
  'lessons/import/import-lesson-directory.ts': 'bulk importer: the lesson-folder import, every changed lesson in one appendMany',
  'lessons/git/import-lesson-history.ts': 'bulk importer: the git replay of the lessons history, in one appendMany',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The code without its comments (block and line), so a comment naming appendMany is no call. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function appendingFiles(): string[] {
  return sourceFiles(SRC)
    .map((file) => path.relative(SRC, file).split(path.sep).join('/'))
    .filter((file) => !file.startsWith(STORE))
    .filter((file) => APPEND_METHODS.test(code(readFileSync(path.join(SRC, file), 'utf8'))));
}

describe('who appends to the store', () => {
  const appending = appendingFiles();

  it('only handleCommand and the bulk importers call the store append methods', () => {
    expect(appending.filter((file) => !(file in ALLOWED))).toEqual([]);
  });

  it('every allowed file still appends (a stale entry is taken out of the list)', () => {
    expect(Object.keys(ALLOWED).filter((file) => !appending.includes(file))).toEqual([]);
  });

  it('the scan sees a call and ignores a comment', () => {
    expect(APPEND_METHODS.test(code('await store.appendToStream(id, events);'))).toBe(true);
    expect(APPEND_METHODS.test(code('// the bulk path: appendMany\n/* appendToStream */ const x = 1;'))).toBe(false);
  });
});
