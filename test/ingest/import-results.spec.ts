import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { EvalRunRecordedData, TestOutcomeRecordedData } from '../../contracts/eval.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { evalRunEventId, evalRunStreamId, testOutcomeEventId } from '../../src/ingest/eval-run-events.js';
import { progressLines } from '../../src/ingest/import-progress.js';
import { formatImportSummary, importResults } from '../../src/ingest/import-results.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { storedEventCount, storedEvents } from './support/stored-events.js';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures/gptme-mini');
const VALID = path.join(FIXTURES, 'valid');
const VALID_RUNS = ['20240927_120000Z', '20241003_120000Z', '20250912_120000Z', '20260219_120000Z', '20260513_120000Z', '20260613_120000Z', '20260711_120000Z'];
/** 15 outcome rows + one EvalRunRecorded per run. */
const VALID_EVENTS = 15 + 7;

describe('importResults over the gptme-mini fixtures', () => {
  let db: TestDatabase;
  let tmp: string;

  beforeEach(async () => {
    db = await openTestDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-import-'));
  });
  afterEach(async () => {
    await db.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('imports every run, one stream each, and lists what it skipped', async () => {
    const summary = await importResults(withCatalogue(db.store), VALID);
    expect(summary).toMatchObject({
      runsFound: 7,
      newRuns: 7,
      alreadyRecorded: 0,
      rejected: [],
      skipped: ['20261399_000000Z/', 'README.md', 'not-a-run/'],
      outcomes: 15,
      eventsAppended: VALID_EVENTS,
    });
    expect(summary.warnings).toHaveLength(2);
    expect(formatImportSummary(summary)).toMatch(/^7 runs new, 0 already recorded, 0 rejected \(/);
    expect(await storedEventCount(db.sql)).toBe(VALID_EVENTS);
    for (const runId of VALID_RUNS) {
      const [first, ...rest] = await db.store.readStream(evalRunStreamId(runId));
      expect(first?.type).toBe('EvalRunRecorded');
      expect(rest.every((e) => e.type === 'TestOutcomeRecorded')).toBe(true);
    }
  });

  it('writes the run summary, occurrences, infra-error flags, deterministic ids and run-time metadata', async () => {
    await importResults(db.store, VALID);
    const events = await db.store.readStream(evalRunStreamId('20260711_120000Z'));
    expect(events.map((e) => e.streamRevision)).toEqual([0n, 1n, 2n, 3n]);
    const run = events[0]!;
    expect(run.eventId).toBe(evalRunEventId('20260711_120000Z'));
    expect(run.schemaVersion).toBe(1);
    expect(run.data as EvalRunRecordedData).toEqual({
      runId: '20260711_120000Z',
      startedAt: '2026-07-11T12:00:00.000Z',
      source: 'gptme-csv:20260711_120000Z',
      counts: { outcomes: 3, passed: 1, failed: 2, suspectedInfraErrors: 1 },
      models: ['anthropic/claude-haiku-4-5', 'openai/gpt-4o'],
      harnessCommits: ['v0.32.1'],
    });
    const outcomes = events.slice(1).map((e) => e.data as TestOutcomeRecordedData);
    expect(outcomes.map((o) => [o.test, o.occurrence, o.passed, o.suspectedInfraError])).toEqual([
      ['hello', 0, true, false],
      ['hello', 1, false, true],
      ['prime100', 0, false, false],
    ]);
    expect(events.slice(1).map((e) => e.eventId)).toEqual([
      testOutcomeEventId('20260711_120000Z', 'anthropic/claude-haiku-4-5', 'tool', 'hello', 0),
      testOutcomeEventId('20260711_120000Z', 'anthropic/claude-haiku-4-5', 'tool', 'hello', 1),
      testOutcomeEventId('20260711_120000Z', 'openai/gpt-4o', 'markdown', 'prime100', 0),
    ]);
    for (const event of events) {
      expect(event.metadata).toEqual({ occurredAt: '2026-07-11T12:00:00.000Z', source: 'gptme-csv:20260711_120000Z' });
    }
    expect(events[1]!.schemaVersion).toBe(2);

    const [, glmPatch, glm] = await db.store.readStream(evalRunStreamId('20241003_120000Z'));
    expect(glmPatch!.data).toEqual({
      runId: '20241003_120000Z',
      test: 'hello-patch',
      model: 'openai/gpt-4o',
      rawModel: 'openai/gpt-4o@tool',
      toolFormat: 'tool',
      occurrence: 0,
      passed: true,
      durations: { total: 8.17, generation: 8.16, run: 0.01, eval: 0 },
      cases: [{ name: 'patch applied', passed: true, durationS: 0.125 }],
      suspectedInfraError: false,
    });
    expect(glm!.data).toMatchObject({ model: 'openrouter/z-ai/glm-5@z-ai', rawModel: 'openrouter/z-ai/glm-5@z-ai', toolFormat: null });
  });

  it('a second import adds nothing and says every run was already recorded', async () => {
    await importResults(db.store, VALID);
    const again = await importResults(db.store, VALID, { batchEvents: 3 });
    expect(again).toMatchObject({ newRuns: 0, alreadyRecorded: 7, rejected: [], eventsAppended: 0, outcomes: 15 });
    expect(await storedEventCount(db.sql)).toBe(VALID_EVENTS);
  });

  it('gives the same events whatever the batch size', async () => {
    const summary = await importResults(db.store, VALID, { batchEvents: 1 });
    expect(summary).toMatchObject({ newRuns: 7, eventsAppended: VALID_EVENTS });
    const other = await openTestDatabase();
    try {
      await importResults(other.store, VALID, { batchEvents: 1_000_000 });
      const ids = async (d: TestDatabase) => (await storedEvents(d.sql)).map((e) => e.eventId).sort();
      expect(await ids(other)).toEqual(await ids(db));
    } finally {
      await other.close();
    }
  });

  it('rejects each malformed run whole with file:line: reason, writes nothing of it, imports the rest', async () => {
    const dir = path.join(tmp, 'eval_results');
    await cp(path.join(FIXTURES, 'malformed'), dir, { recursive: true });
    // Unreadable files cannot live in git: a directory where the file should be, and bytes that are not UTF-8.
    await mkdir(path.join(dir, '20250106_000000Z', 'eval_results.csv'), { recursive: true });
    await mkdir(path.join(dir, '20250107_000000Z'));
    await writeFile(path.join(dir, '20250107_000000Z', 'eval_results.csv'), Buffer.from([0x4d, 0x6f, 0xff, 0xfe, 0x0a]));
    await mkdir(path.join(dir, '20250108_000000Z'));

    const summary = await importResults(withCatalogue(db.store), dir);
    const file = (run: string, name = 'eval_results.csv') => path.join(dir, run, name);
    expect(summary.newRuns).toBe(1);
    expect(summary.rejected).toEqual([
      { runId: '20250101_000000Z', reasons: [`${file('20250101_000000Z')}:1: unknown eval_results.csv header: Model,Test,Passed,Total Duration,Generation Time,Run Time,Eval Time,Commit Hash,Extra`] },
      { runId: '20250102_000000Z', reasons: [`${file('20250102_000000Z')}:3: Passed must be true or false, got "yes"`] },
      { runId: '20250103_000000Z', reasons: [`${file('20250103_000000Z')}:2: expected 8 columns (header "basic"), got 7`] },
      { runId: '20250104_000000Z', reasons: [`${file('20250104_000000Z', 'openai/gpt-4o/hello/cases.csv')}:3: Passed must be true or false, got "maybe"`] },
      { runId: '20250106_000000Z', reasons: [`${file('20250106_000000Z')}:0: cannot read the file: it is a directory (EISDIR)`] },
      { runId: '20250107_000000Z', reasons: [`${file('20250107_000000Z')}:0: cannot read the file: not valid UTF-8`] },
      { runId: '20250108_000000Z', reasons: [`${file('20250108_000000Z')}:0: cannot read the file: it does not exist (ENOENT)`] },
    ]);
    expect(formatImportSummary(summary)).toContain('1 runs new, 0 already recorded, 7 rejected');
    const all = await storedEvents(db.sql);
    expect(all.map((e) => e.streamId)).toEqual(Array(3).fill(evalRunStreamId('20250105_000000Z')));
    for (const run of summary.rejected) expect(await db.store.readStream(evalRunStreamId(run.runId))).toEqual([]);
  });

  it('rejects a file it may not read (permission denied) when not running as root', async () => {
    const dir = path.join(tmp, 'eval_results');
    await cp(path.join(VALID, '20260613_120000Z'), path.join(dir, '20260613_120000Z'), { recursive: true });
    const target = path.join(dir, '20260613_120000Z', 'eval_results.csv');
    await chmod(target, 0o000);
    const readable = await readFile(target).then(() => true, () => false);
    const summary = await importResults(db.store, dir);
    if (readable) {
      // root reads anything: the run imports, and this test can only check that nothing went wrong.
      expect(summary.newRuns).toBe(1);
    } else {
      expect(summary.rejected).toEqual([
        { runId: '20260613_120000Z', reasons: [`${target}:0: cannot read the file: permission denied (EACCES)`] },
      ]);
      expect(await storedEventCount(db.sql)).toBe(0);
    }
  });

  it('refuses runs recorded before with different content (changed or added rows), alone, and keeps the rest of their batch', async () => {
    await importResults(db.store, VALID);
    const dir = path.join(tmp, 'eval_results');
    await cp(VALID, dir, { recursive: true });
    const changed = path.join(dir, '20260613_120000Z', 'eval_results.csv');
    await writeFile(changed, (await readFile(changed, 'utf8')).replace(',false,1/2,', ',true,2/2,'));
    // A row added to a recorded run: new event ids in an existing stream, which fails the whole batch append.
    const grown = path.join(dir, '20250912_120000Z', 'eval_results.csv');
    await writeFile(grown, `${await readFile(grown, 'utf8')}openai/gpt-4o@tool,hello,true,9.5,9.4,0.1,0.0,,/logs/z,/logs/z/workspace\n`);
    await cp(path.join(FIXTURES, 'malformed', '20250105_000000Z'), path.join(dir, '20250105_000000Z'), { recursive: true });

    const summary = await importResults(db.store, dir, { batchEvents: 1_000 });
    expect(summary).toMatchObject({ newRuns: 1, alreadyRecorded: 5, eventsAppended: 3 });
    expect(summary.rejected).toEqual([
      {
        runId: '20250912_120000Z',
        reasons: [
          'eval-run-20250912_120000Z: already recorded with different content; not changed: ' +
            'the run summary differs: counts, models; outcome openai/gpt-4o@tool (tool) / hello is not in the stored run',
        ],
      },
      {
        runId: '20260613_120000Z',
        reasons: [
          'eval-run-20260613_120000Z: already recorded with different content; not changed: ' +
            'the run summary differs: counts; outcome openai/gpt-4o-mini (markdown) / hello-patch differs: passed, score',
        ],
      },
    ]);
    const stored = await db.store.readStream(evalRunStreamId('20260613_120000Z'));
    expect((stored[1]!.data as TestOutcomeRecordedData).passed).toBe(false);
    expect(await db.store.readStream(evalRunStreamId('20250912_120000Z'))).toHaveLength(3);
    expect(await storedEventCount(db.sql)).toBe(VALID_EVENTS + 3);
  });

  it('stops with the store error when a write fails for another reason than the data (no run is reported as rejected)', async () => {
    let calls = 0;
    const failing = Object.create(db.store) as typeof db.store;
    failing.appendMany = async (appends) => {
      calls++;
      if (calls === 2) throw new Error('connection lost');
      return db.store.appendMany(appends);
    };
    await expect(importResults(failing, VALID, { batchEvents: 1 })).rejects.toThrow('connection lost');
    expect(calls).toBe(2);
  });

  it('fails plainly when the directory does not exist', async () => {
    await expect(importResults(db.store, path.join(tmp, 'missing'))).rejects.toThrow(/ENOENT/);
  });

  it('reports progress as plain lines when the output is not a terminal', async () => {
    const written: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        written.push(String(chunk));
        done();
      },
    });
    await importResults(db.store, VALID, { progress: progressLines(sink, 0) });
    expect(written[0]).toBe('import: 7 runs to read\n');
    expect(written.at(-1)).toMatch(/^import: 7\/7 runs, 15 rows, \d+ rows\/s\n$/);
  });
});
