/**
 * A lesson file whose path (relative to the lessons root) is over the path limit of contracts/limits.ts, beside
 * one that is not: the folder import refuses it as `path: path must be at most 1024 bytes`, the git replay the
 * same with the commit that added it, and the summary the CLI prints names both. Nothing of it is written.
 * (Fields inside the files are covered, generated, by importers.property.spec.ts.)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LIMITS } from '../../contracts/limits.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { importLessonHistory } from '../../src/lessons/git/import-lesson-history.js';
import { importLessonDirectory } from '../../src/lessons/import/import-lesson-directory.js';
import { formatLessonImportSummary } from '../../src/lessons/import/lesson-import-summary.js';
import { storedEventCount } from '../ingest/support/stored-events.js';
import { createTempRepo } from '../lessons/support/git-repo.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

/** Six folders of 200 bytes: the file's relative path is over 1,024 bytes, each segment within a file name's 255. */
const deep = `${Array.from({ length: 6 }, (_, i) => String(i).repeat(200)).join('/')}/too-deep.md`;
const lesson = (title: string) => ['---', 'category: tools', 'match:', '  keywords: [quote paths]', '---', '', `# ${title}`, '', 'Quote paths.', ''].join('\n');
const pathLimit = new RegExp(`^path must be at most ${LIMITS.path} bytes of UTF-8 \\(is ${Buffer.byteLength(deep)}\\)$`);

let db: TestDatabase;
let tmp: string;
beforeAll(async () => {
  db = await openTestDatabase();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-lesson-paths-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await db?.close();
});

it('import lessons <dir>: a file whose path is over the limit is refused naming the path and the limit', async () => {
  await mkdir(path.join(tmp, path.dirname(deep)), { recursive: true });
  await writeFile(path.join(tmp, deep), lesson('Too Deep'));
  await writeFile(path.join(tmp, 'fine.md'), lesson('Fine'));
  const before = await storedEventCount(db.sql);
  const summary = await importLessonDirectory(withCatalogue(db.store), tmp);
  expect(summary.rejected).toEqual([{ path: deep, reason: expect.stringMatching(pathLimit) }]);
  expect(summary.created).toEqual(['fine.md']);
  expect(await storedEventCount(db.sql)).toBe(before + 1);
  expect(formatLessonImportSummary(summary)).toContain(`rejected ${deep}: path must be at most ${LIMITS.path} bytes`);
});

it('import lessons --git: the commit adding it is named with the path and the limit; the rest of the history imports', async () => {
  const repo = await createTempRepo();
  try {
    const who = { author: 'Ann', email: 'ann@example.com' };
    await repo.write(deep, lesson('Too Deep'));
    const sha = await repo.commit('add a deep lesson', { ...who, at: '2026-03-01T00:00:00Z' });
    await repo.write('also-fine.md', lesson('Also Fine'));
    await repo.commit('add a fine lesson', { ...who, at: '2026-03-02T00:00:00Z' });
    const before = await storedEventCount(db.sql);
    const summary = await importLessonHistory(withCatalogue(db.store), repo.dir);
    expect(summary.rejected).toEqual([{ path: deep, commit: sha, reason: expect.stringMatching(pathLimit) }]);
    expect(summary.created).toEqual(['also-fine.md']);
    expect(await storedEventCount(db.sql)).toBe(before + 1);
    expect(formatLessonImportSummary(summary)).toContain(`rejected ${deep} at ${sha.slice(0, 12)}: path must be at most ${LIMITS.path} bytes`);
  } finally {
    await repo.remove();
  }
});
