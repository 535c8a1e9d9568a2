/**
 * Events whose fields are at their largest allowed size (contracts/limits.ts) project into every registered
 * read model: no index row or key the limits allow is over what PostgreSQL takes (the 3,000-character test name
 * once stopped outcome-counts, test-history and trends for good). Appended through the catalogue, so they are
 * valid; the engine runs every registered projection until each has applied them all.
 */
import { newEvent } from '../../contracts/catalogue.js';
import { LIMITS } from '../../contracts/limits.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { REGISTERED_PROJECTIONS } from '../../src/projection-engine/registered-projections.js';
import { eventually } from '../ingest-http/http-test-support.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

/** `bytes` bytes of UTF-8 made of 4-byte characters, padded with ASCII. */
const sized = (bytes: number, seed = '😀') => seed.repeat(Math.floor(bytes / 4)) + 'a'.repeat(bytes % 4);

let db: TestDatabase;
afterAll(async () => {
  await db?.close();
});

it('outcomes, runs, external changes and lessons at their limits project into every read model', async () => {
  db = await openTestDatabase();
  const store = withCatalogue(db.store);
  const at = { occurredAt: '2026-06-01T00:00:00Z', source: sized(LIMITS.identifier, 's') };
  const runId = `r${'1'.repeat(LIMITS.identifier - 1)}`;
  const model = sized(LIMITS.name - 5);
  const test = sized(LIMITS.outcomeKey - LIMITS.name - 4, '漢');
  const outcomes = [0, 1].map((occurrence) =>
    newEvent('TestOutcomeRecorded', {
      runId,
      suite: sized(LIMITS.name),
      test,
      model,
      rawModel: `${model}@tool`,
      toolFormat: 'tool',
      passed: occurrence === 0,
      harnessCommit: sized(LIMITS.identifier, 'c'),
      logDir: sized(LIMITS.path, 'l'),
      workspaceDir: sized(LIMITS.path, 'w'),
      cases: [{ name: sized(LIMITS.name), passed: true, durationS: 1 }],
      suspectedInfraError: false,
      occurrence,
    }, at),
  );
  const run = newEvent('EvalRunRecorded', {
    runId,
    startedAt: at.occurredAt,
    source: sized(LIMITS.identifier, 'x'),
    counts: { outcomes: 2, passed: 1, failed: 1, suspectedInfraErrors: 0 },
    models: [model],
    harnessCommits: [sized(LIMITS.identifier, 'c')],
    suite: sized(LIMITS.name),
  }, at);
  await store.appendToStream(`eval-run-${runId}`, [run, ...outcomes]);
  await store.appendToStream('external-change-max', [
    newEvent('ExternalChangeObserved', { changeId: sized(LIMITS.identifier, 'e'), kind: 'model-api', subject: sized(LIMITS.name), description: sized(LIMITS.text) }, at),
  ]);
  await store.appendToStream('lesson-max', [
    newEvent('LessonCreated', {
      lessonId: sized(LIMITS.identifier, 'i'),
      path: sized(LIMITS.path, 'p'),
      title: sized(LIMITS.title),
      description: sized(LIMITS.text),
      category: sized(LIMITS.name),
      body: sized(LIMITS.body),
      match: { keywords: [sized(LIMITS.name)], patterns: [sized(LIMITS.pattern, 'a')], tools: [sized(LIMITS.name)], sessionCategories: [sized(LIMITS.name)] },
      status: 'active',
      confoundNote: sized(LIMITS.text),
      extraFrontmatter: { notes: sized(LIMITS.json - 20, 'n') },
      reason: sized(LIMITS.text),
    }, at),
  ]);

  const engine = new ProjectionEngine({
    sql: db.sql,
    store,
    projections: REGISTERED_PROJECTIONS,
    options: { processor: { batchSize: 100, readBatchSize: 100, leaseTtlMs: 2000, pollIntervalMs: 50, failedPollMs: 200, instanceCheckMs: 500 }, reconcileIntervalMs: 200 },
  });
  await engine.start();
  try {
    const statuses = await eventually(async () => {
      const all = (await engine.status()).filter((s) => s.current);
      expect(all.map((s) => s.name).sort()).toEqual(REGISTERED_PROJECTIONS.map((p) => p.name).sort());
      for (const s of all) expect({ name: s.name, error: s.error, lag: s.lag?.events }).toEqual({ name: s.name, error: null, lag: 0 });
      return all;
    }, 60_000);
    expect(statuses.filter((s) => s.eventsProcessed > 0).length).toBeGreaterThan(0);
  } finally {
    await engine.stop();
  }
  const rows = async (table: string) => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  const { rows: tables } = await db.sql.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND (table_name LIKE '%test_history%' OR table_name LIKE '%outcome_counts%' OR table_name LIKE '%lesson_catalogue%')",
  );
  expect(tables.length).toBeGreaterThan(0);
  for (const { name } of tables) expect({ name, rows: (await rows(`"${name}"`)) > 0 }).toEqual({ name, rows: true });
});
