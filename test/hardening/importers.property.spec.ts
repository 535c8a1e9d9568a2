/**
 * The three importers with generated input (fast-check, fixed seed): each file breaks exactly one limit of one
 * field, and each is refused as `file:line` naming the field and the limit, with nothing written; valid files
 * beside them import. The cases go in one folder (or one repository, one commit each) imported once.
 */
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LIMITS, type StringPolicy } from '../../contracts/limits.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { importResults } from '../../src/ingest/import-results.js';
import { importLessonHistory } from '../../src/lessons/git/import-lesson-history.js';
import { importLessonDirectory } from '../../src/lessons/import/import-lesson-directory.js';
import { csvRow, CURRENT_HEADER } from '../ingest-http/http-test-support.js';
import { storedEventCount } from '../ingest/support/stored-events.js';
import { createTempRepo } from '../lessons/support/git-repo.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { SEED, validName, violationsOf, type Violation } from './support/violations.js';

const name: StringPolicy = { maxBytes: LIMITS.name, identifierLike: true };
const text: StringPolicy = { maxBytes: LIMITS.text, identifierLike: false };
const path_: StringPolicy = { maxBytes: LIMITS.path, identifierLike: true };

/** `n` cases of [field, violation] over `fields`, the same every run. */
function cases(fields: Record<string, StringPolicy>, n: number): Array<[string, Violation]> {
  const arbitrary = fc.constantFrom(...Object.keys(fields)).chain((f) => violationsOf(fields[f]!, false).map((v): [string, Violation] => [f, v]));
  return fc.sample(arbitrary, { seed: SEED, numRuns: n });
}

jest.setTimeout(300_000);
let db: TestDatabase;
let store: EventStore;
let tmp: string;
beforeAll(async () => {
  db = await openTestDatabase();
  store = withCatalogue(db.store);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-limits-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await db?.close();
});

/** The limit's own words: its byte count, or the character it refuses. */
const limitWords = /at most \d+ bytes|NUL|control characters|well-formed Unicode/;

it('import results: a run with one over-limit cell is rejected as file:line naming the column and limit; valid runs import', async () => {
  const dir = path.join(tmp, 'eval_results');
  const columns = CURRENT_HEADER.split(',');
  const defaults = csvRow().split(',');
  const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
  const bad = cases({ Model: name, Test: { maxBytes: LIMITS.test, identifierLike: true }, 'Commit Hash': name, 'Log Dir': path_, 'Workspace Dir': path_ }, 200);
  const good = fc.sample(fc.tuple(validName, validName), { seed: SEED, numRuns: 20 });
  const runs: Array<Record<string, string>> = [...bad.map(([f, v]) => ({ [f]: v.value as string })), ...good.map(([Model, Test]) => ({ Model, Test }))];
  for (const [i, cells] of runs.entries()) {
    const hms = [Math.floor(i / 3600), Math.floor(i / 60) % 60, i % 60].map((n) => String(n).padStart(2, '0')).join('');
    const folder = path.join(dir, `20260601_${hms}Z`);
    await mkdir(folder, { recursive: true });
    const row = columns.map((c, k) => quote(cells[c] ?? defaults[k]!));
    await writeFile(path.join(folder, 'eval_results.csv'), `${CURRENT_HEADER}\n${row.join(',')}\n`);
  }
  const before = await storedEventCount(db.sql);
  const summary = await importResults(store, dir);
  expect(summary.rejected).toHaveLength(bad.length);
  summary.rejected.forEach((run, i) => {
    const [field] = bad[i]!;
    expect(run.reasons.join('\n')).toMatch(new RegExp(`eval_results\\.csv:2: ${field} `));
    expect(run.reasons.join('\n')).toMatch(limitWords);
  });
  expect(summary.newRuns).toBe(good.length);
  expect(await storedEventCount(db.sql)).toBe(before + good.length * 2);
});

/** A YAML double-quoted string with every control character escaped (YAML refuses most of them written as is). */
const yamlQuote = (value: string) =>
  `"${value.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;

const lessonFile = (fields: Record<string, string>) =>
  [
    '---',
    `category: ${yamlQuote(fields.category ?? 'tools')}`,
    `description: ${yamlQuote(fields.description ?? 'Quote paths.')}`,
    'match:',
    `  keywords: [${yamlQuote(fields.keyword ?? 'path with spaces')}]`,
    '---',
    '',
    `# ${fields.title ?? 'Quote Shell Paths'}`,
    '',
    fields.body ?? 'Always quote paths.',
    '',
  ].join('\n');

/** YAML double-quoted strings cannot hold every character as is: the frontmatter fields break one limit by length or NUL. */
const lessonFields: Record<string, StringPolicy> = {
  category: name,
  description: text,
  keyword: name,
  title: { maxBytes: LIMITS.title, identifierLike: false },
  body: { maxBytes: LIMITS.body, identifierLike: false },
};
const reportedAs: Record<string, string> = { keyword: 'match.keywords', category: 'category', description: 'description', title: 'title', body: 'body' };
/** Lesson-file cases: no lone surrogates, no line breaks in the one-line title. */
function lessonCases(n: number): Array<[string, Violation]> {
  return cases(lessonFields, n * 2)
    // A file's bytes decode to well-formed text: a lone surrogate cannot come from a file (the HTTP spec covers it).
    .filter(([, v]) => v.kind !== 'lone surrogate')
    .filter(([f, v]) => !(f === 'title' && /[\n\r\u0085\u2028\u2029]/.test(String(v.value))))
    .slice(0, n);
}

it('import lessons <dir>: a file with one over-limit field is rejected as path:line naming the field and limit; valid files import', async () => {
  const dir = path.join(tmp, 'lessons');
  const bad = lessonCases(200);
  const good = fc.sample(validName, { seed: SEED, numRuns: 20 });
  for (const [i, [field, v]] of bad.entries()) {
    await mkdir(path.join(dir, 'bad'), { recursive: true });
    await writeFile(path.join(dir, 'bad', `lesson-${i}.md`), lessonFile({ [field]: v.value as string }));
  }
  for (const [i, keyword] of good.entries()) {
    await mkdir(path.join(dir, 'good'), { recursive: true });
    await writeFile(path.join(dir, 'good', `lesson-${i}.md`), lessonFile({ keyword, title: `Lesson ${i}` }));
  }
  const before = await storedEventCount(db.sql);
  const summary = await importLessonDirectory(store, dir);
  expect(summary.rejected).toHaveLength(bad.length);
  for (const rejected of summary.rejected) {
    const i = Number(/lesson-(\d+)\.md$/.exec(rejected.path)![1]);
    const [field] = bad[i]!;
    expect({ path: rejected.path, line: rejected.line !== undefined && rejected.line > 0, reason: rejected.reason.startsWith(`${reportedAs[field]} `) }).toEqual({
      path: rejected.path,
      line: true,
      reason: true,
    });
    expect(rejected.reason).toMatch(limitWords);
  }
  expect(summary.created).toHaveLength(good.length);
  expect(await storedEventCount(db.sql)).toBe(before + good.length);
});

it('import lessons --git: a commit adding a file with one over-limit field is rejected naming the field and limit; nothing of it is written', async () => {
  const repo = await createTempRepo();
  try {
    const bad = lessonCases(60);
    const who = { author: 'Ann', email: 'ann@example.com' };
    for (const [i, [field, v]] of bad.entries()) {
      await repo.write(`bad/lesson-${i}.md`, lessonFile({ [field]: v.value as string }));
      await repo.commit(`add lesson ${i}`, { ...who, at: `2026-02-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z` });
    }
    await repo.write('good/quoting.md', lessonFile({}));
    await repo.commit(`${'a long subject '.repeat(400)}`, { ...who, at: '2026-02-02T00:00:00Z' });
    const before = await storedEventCount(db.sql);
    const summary = await importLessonHistory(store, repo.dir);
    expect(summary.rejected).toHaveLength(bad.length);
    for (const rejected of summary.rejected) {
      const [field] = bad[Number(/lesson-(\d+)\.md$/.exec(rejected.path)![1])]!;
      expect(rejected.reason.startsWith(`${reportedAs[field]} `) ? field : rejected.reason).toBe(field);
      expect(rejected.line).toBeGreaterThan(0);
    }
    // The valid lesson imports although its commit subject is over the reason limit: history is cut, not refused.
    expect(summary.created).toEqual(['good/quoting.md']);
    expect(await storedEventCount(db.sql)).toBe(before + 1);
  } finally {
    await repo.remove();
  }
});
