import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { buildEvalRunEvents } from '../../src/ingest/eval-run-events.js';
import { evalRunFromCsv } from '../../src/ingest/http/intake/csv-run.js';
import { evalRunFromJson } from '../../src/ingest/http/intake/json-run.js';
import { recordEvalRun, RunConflictError } from '../../src/ingest/http/record/record-eval-run.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { csvRow, CURRENT_HEADER } from './http-test-support.js';

function jsonRun(runId: string, passed = true) {
  const intake = evalRunFromJson({
    runId,
    startedAt: '2026-04-01T00:00:00Z',
    outcomes: [
      { model: 'm@tool', test: 'a', passed },
      { model: 'm@tool', test: 'a', passed: true },
    ],
  });
  if (!intake.ok) throw new Error(JSON.stringify(intake.problems));
  return buildEvalRunEvents(intake.run);
}

describe('recordEvalRun on the test database', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await openTestDatabase();
    store = withCatalogue(db.store);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('records once; a replay is already-recorded and writes nothing', async () => {
    const first = await recordEvalRun(store, jsonRun('r1'), 'r1');
    expect(first).toMatchObject({ status: 'recorded', events: 3, run: { counts: { outcomes: 2, passed: 2 } } });
    const count = await store.countAfter();
    const again = await recordEvalRun(store, jsonRun('r1'), 'r1');
    expect(again).toMatchObject({ status: 'already-recorded', events: 3 });
    expect(await store.countAfter()).toBe(count);
  });

  it('repeated (model, format, test) rows get occurrences 0 and 1 and distinct events', async () => {
    const stored = await store.readStream('eval-run-r1');
    expect(stored.slice(1).map((e) => (e.data as { occurrence: number }).occurrence)).toEqual([0, 1]);
    expect(new Set(stored.map((e) => e.eventId)).size).toBe(3);
  });

  it('different content under the same run id: RunConflictError naming the difference, nothing written', async () => {
    const count = await store.countAfter();
    const error = await recordEvalRun(store, jsonRun('r1', false), 'r1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunConflictError);
    expect((error as RunConflictError).differences).toEqual([
      'the run summary differs: counts',
      'outcome m@tool (tool) / a differs: passed',
    ]);
    expect(await store.countAfter()).toBe(count);
  });

  it('two concurrent submissions of one run: one recorded, the other a replay', async () => {
    const results = await Promise.all([recordEvalRun(store, jsonRun('r2'), 'r2'), recordEvalRun(store, jsonRun('r2'), 'r2')]);
    expect(results.map((r) => r.status).sort()).toEqual(['already-recorded', 'recorded']);
    expect(await store.readStream('eval-run-r2')).toHaveLength(3);
  });

  it('the same run sent as CSV after JSON is a replay when the outcomes are the same', async () => {
    const csv = `${CURRENT_HEADER}\n${csvRow({ Model: 'x', 'Tool Format': 'xml' })}\n`;
    const intake = evalRunFromCsv(csv, { runId: '20260401_000000Z' });
    if (!intake.ok) throw new Error(JSON.stringify(intake.problems));
    expect((await recordEvalRun(store, buildEvalRunEvents(intake.run), intake.run.runId)).status).toBe('recorded');
    const stored = (await store.readStream('eval-run-20260401_000000Z'))[1]!.data as Record<string, unknown>;
    const json = evalRunFromJson({
      runId: '20260401_000000Z',
      startedAt: '2026-04-01T00:00:00.000Z',
      outcomes: [
        {
          model: 'x',
          toolFormat: 'xml',
          test: 'hello',
          passed: true,
          score: '2/2',
          toolCalls: 3,
          numSteps: 4,
          tokensInput: 1000,
          tokensOutput: 200,
          tokensTotal: 1200,
          cacheReadTokens: 800,
          cacheCreationTokens: 100,
          cacheHitRate: 0.8,
          costUsd: 0.0123,
          totalDuration: 12.5,
          generationTime: 10,
          runTime: 2,
          evalTime: 0.5,
          commitHash: 'v0.33.0',
          logDir: '/logs/a',
          workspaceDir: '/logs/a/workspace',
        },
      ],
    });
    if (!json.ok) throw new Error(JSON.stringify(json.problems));
    const replay = await recordEvalRun(store, buildEvalRunEvents(json.run), '20260401_000000Z');
    expect(replay.status).toBe('already-recorded');
    expect(replay.run.source).toBe('gptme-csv:20260401_000000Z');
    expect(stored).toMatchObject({ model: 'x', rawModel: 'x', toolFormat: 'xml', steps: 4 });
  });
});
