/**
 * The limits apply where input enters, never to reading history: events stored before contracts/limits.ts
 * existed (forced into the log here through the bare store, past the catalogue's entry validation) with fields
 * over the entry limits, yet within what PostgreSQL's btree indexes take, still read back whole through the
 * catalogue and project into every registered read model. The catalogue refuses the very same events on append.
 */
import { randomUUID } from 'node:crypto';
import { currentVersionOf } from '../../contracts/catalogue.js';
import type { NewEvent } from '../../contracts/envelope.js';
import { LIMITS } from '../../contracts/limits.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { REGISTERED_PROJECTIONS } from '../../src/projection-engine/registered-projections.js';
import { eventually } from '../ingest-http/http-test-support.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const over = (limit: number, ch = 'o') => ch.repeat(limit + 100);
/** A new event as history holds it: built by hand, as newEvent() would validate it. */
const stored = (type: string, data: Record<string, unknown>): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: currentVersionOf(type as never),
  data,
  metadata: { occurredAt: '2026-06-01T00:00:00Z', source: 'history' },
});

let db: TestDatabase;
afterAll(async () => {
  await db?.close();
});

it('events over the entry limits read back whole and project into every read model; appending them is refused', async () => {
  db = await openTestDatabase();
  const runId = '20260601_000000Z';
  // model + format + test over the outcome-key limit (1,024 B) and each over its own, the btree row (2,704 B) not.
  const model = over(LIMITS.name, 'm');
  const test = over(LIMITS.test, 't');
  const outcome = stored('TestOutcomeRecorded', {
    runId, suite: over(LIMITS.name, 's'), test, model, rawModel: `${model}@tool`, toolFormat: 'tool', passed: true,
    harnessCommit: over(LIMITS.identifier, 'h'), logDir: over(LIMITS.path, 'l'), workspaceDir: over(LIMITS.path, 'w'),
    cases: [{ name: over(LIMITS.name, 'k'), passed: true, durationS: 1 }], suspectedInfraError: false, occurrence: 0,
  });
  const run = stored('EvalRunRecorded', {
    runId, startedAt: '2026-06-01T00:00:00Z', source: over(LIMITS.identifier, 'x'),
    counts: { outcomes: 1, passed: 1, failed: 0, suspectedInfraErrors: 0 }, models: [model], harnessCommits: ['h'],
  });
  const change = stored('ExternalChangeObserved', { changeId: 'over-1', kind: 'model-api', subject: over(LIMITS.name), description: over(LIMITS.text) });
  const lesson = stored('LessonCreated', {
    lessonId: 'over-limit-lesson', path: `lessons/${over(LIMITS.path - 8, 'p')}`, title: over(LIMITS.title, 'T'),
    description: over(LIMITS.text, 'd'), category: over(LIMITS.name, 'c'), body: over(LIMITS.body, 'b'),
    match: { keywords: [over(LIMITS.name, 'k')], patterns: [], tools: [], sessionCategories: [] },
    status: 'active', reason: over(LIMITS.text, 'r'),
  });
  const streams: Array<[string, NewEvent[]]> = [[`eval-run-${runId}`, [run, outcome]], ['external-change-over-1', [change]], ['lesson-over-limit-lesson', [lesson]]];

  const catalogue = withCatalogue(db.store);
  for (const [stream, events] of streams) {
    for (const event of events) await expect(catalogue.appendToStream(`${stream}-x`, [event])).rejects.toThrow(/at most \d+ bytes/);
  }
  for (const [stream, events] of streams) await db.store.appendToStream(stream, events);

  const read = await catalogue.readAll();
  expect(read.map((e) => e.type)).toEqual(['EvalRunRecorded', 'TestOutcomeRecorded', 'ExternalChangeObserved', 'LessonCreated']);
  expect(read[1]!.data).toMatchObject({ test, model });
  expect((read[3]!.data as { body: string }).body).toHaveLength(LIMITS.body + 100);

  const engine = new ProjectionEngine({
    sql: db.sql,
    store: catalogue,
    projections: REGISTERED_PROJECTIONS,
    options: { processor: { batchSize: 100, readBatchSize: 100, leaseTtlMs: 2000, pollIntervalMs: 50, failedPollMs: 200, instanceCheckMs: 500 }, reconcileIntervalMs: 200 },
  });
  await engine.start();
  try {
    await eventually(async () => {
      const all = (await engine.status()).filter((s) => s.current);
      expect(all.map((s) => s.name).sort()).toEqual(REGISTERED_PROJECTIONS.map((p) => p.name).sort());
      for (const s of all) expect({ name: s.name, state: s.state, error: s.error, lag: s.lag?.events }).toEqual({ name: s.name, state: 'live', error: null, lag: 0 });
    }, 60_000);
  } finally {
    await engine.stop();
  }
  const column = async (like: string, col: string) => {
    const { rows: tables } = await db.sql.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE '${like}%'`,
    );
    expect(tables.length).toBeGreaterThan(0);
    return (await db.sql.query<{ v: string }>(`SELECT ${col} AS v FROM "${tables[0]!.name}"`)).rows.map((r) => r.v);
  };
  expect(await column('eval_test_history', 'test')).toEqual([test]);
  expect((await column('lesson_catalogue', "doc->>'title'")).map((t) => t.length)).toEqual([LIMITS.title + 100]);
});
