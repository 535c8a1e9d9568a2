import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { append, defineChangesProjection, defineDocumentProjection, increment, upsert } from '../../projections/machinery/projection.js';
import { given } from '../../projections/machinery/testing.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { appendOutcomeRuns, outcomeRun } from './support/outcome-history.js';
import { readEverything } from './support/read-model.js';

interface ModelStreak {
  outcomes: number;
  passes: number;
  /** Consecutive passes up to the latest outcome. */
  streak: number;
  lastRunId: string | null;
}

/** A `documents` projection: one document per model, deleted when a run of model "local/llama" is retired. */
const modelStreaks = defineDocumentProjection<ModelStreak, { deleteModel: string }>({
  name: 'model-streaks',
  version: 1,
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: { deleteModel: '' },
  documentTable: 'model_streaks',
  documentKeys: (event) => [(event.data as TestOutcomeRecordedData).model],
  initialDocument: () => ({ outcomes: 0, passes: 0, streak: 0, lastRunId: null }),
  evolve(doc, event, rules) {
    const outcome = event.data as TestOutcomeRecordedData;
    if (outcome.model === rules.deleteModel && outcome.occurrence % 5 === 4) return null;
    return {
      outcomes: doc.outcomes + 1,
      passes: doc.passes + (outcome.passed ? 1 : 0),
      streak: outcome.passed ? doc.streak + 1 : 0,
      lastRunId: outcome.runId,
    };
  },
});

/**
 * A `documents` projection with rows beside its documents: a count per model, one row per outcome, and per model
 * the list of its outcomes' positions (appended to jsonb) and of their event ids (appended to text, as lines).
 */
const modelOutcomes = defineDocumentProjection<{ outcomes: number }, Record<string, never>>({
  name: 'model-outcomes',
  version: 1,
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  documentTable: 'model_outcome_counts',
  tables: {
    model_outcome_rows: { key: { model: 'text', event_id: 'text' }, columns: { position: 'int8', passed: 'bool' } },
    model_outcome_lists: { key: { model: 'text' }, columns: { positions: 'jsonb', event_ids: 'text' } },
  },
  documentKeys: (event) => [(event.data as TestOutcomeRecordedData).model],
  initialDocument: () => ({ outcomes: 0 }),
  evolve(doc, event, _rules, key, _peek, emit) {
    emit(upsert('model_outcome_rows', { model: key, event_id: event.eventId }, { position: event.globalPosition, passed: (event.data as TestOutcomeRecordedData).passed }));
    emit(append('model_outcome_lists', { model: key }, { positions: [String(event.globalPosition)], event_ids: [event.eventId] }));
    return { outcomes: doc.outcomes + 1 };
  },
});

describe('documents projections', () => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it('loads, evolves and writes back keyed documents, including deletions, like the in-memory fold', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'd', 0, 25, 13);
    const engine = new ProjectionEngine({
      sql: db.sql,
      store: db.store,
      projections: [modelStreaks],
      ruleSets: { parameters: async (id) => (id === 'drop-llama' ? { deleteModel: 'local/llama' } : null) },
      options: { processor: { batchSize: 40, readBatchSize: 64, pollIntervalMs: 100, leaseTtlMs: 2000 }, reconcileIntervalMs: 100 },
    });
    try {
      await engine.start();
      const rebuild = await engine.rebuild('model-streaks', 'drop-llama');
      await engine.runningProcessors().get('model-streaks.v1.g1')!.whenCaughtUp();
      await engine.runningProcessors().get(rebuild.instanceId)!.whenCaughtUp();
      const events = await readEverything(db.store);
      for (const [instanceId, ruleSet] of [
        ['model-streaks.v1.g1', undefined],
        [rebuild.instanceId, { deleteModel: 'local/llama' }],
      ] as const) {
        const { rows } = await db.sql.query<{ doc_key: string; doc: ModelStreak }>(
          'SELECT doc_key, doc FROM model_streaks WHERE instance_id = $1 ORDER BY doc_key COLLATE "C"',
          [instanceId],
        );
        const expected = given(modelStreaks, events, ruleSet ? { ruleSet } : {}).documents;
        expect(Object.fromEntries(rows.map((r) => [r.doc_key, r.doc]))).toEqual(expected);
        expect(rows.length).toBeGreaterThan(0);
      }
    } finally {
      await engine.stop();
    }
  });
});

describe('documents projections with rows', () => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it('writes the rows evolve emits with the documents, like the in-memory fold, and drops them with the instance', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'r', 0, 12, 7);
    const engine = new ProjectionEngine({
      sql: db.sql,
      store: db.store,
      projections: [modelOutcomes],
      options: { processor: { batchSize: 8, readBatchSize: 32, pollIntervalMs: 100, leaseTtlMs: 2000 }, reconcileIntervalMs: 100 },
    });
    try {
      await engine.start();
      const instanceId = 'model-outcomes.v1.g1';
      await engine.runningProcessors().get(instanceId)!.whenCaughtUp();
      const expected = given(modelOutcomes, await readEverything(db.store));
      const { rows: docs } = await db.sql.query<{ doc_key: string; doc: { outcomes: number } }>(
        'SELECT doc_key, doc FROM model_outcome_counts WHERE instance_id = $1',
        [instanceId],
      );
      expect(Object.fromEntries(docs.map((r) => [r.doc_key, r.doc]))).toEqual(expected.documents);
      const { rows } = await db.sql.query<{ model: string; event_id: string; position: string; passed: boolean }>(
        'SELECT model, event_id, position::text AS position, passed FROM model_outcome_rows WHERE instance_id = $1 ORDER BY model COLLATE "C", event_id COLLATE "C"',
        [instanceId],
      );
      const inMemory = expected.rows('model_outcome_rows').map((r) => ({ ...r, position: String(r.position) }));
      expect(rows).toEqual(inMemory);
      expect(rows).toHaveLength(Object.values(expected.documents).reduce((n, d) => n + d.outcomes, 0));
      // Appended over several commits (batches of 8), in log order: the same lists as in memory.
      const { rows: lists } = await db.sql.query<{ model: string; positions: string[]; event_ids: string }>(
        'SELECT model, positions, event_ids FROM model_outcome_lists WHERE instance_id = $1 ORDER BY model COLLATE "C"',
        [instanceId],
      );
      expect(lists).toEqual(expected.rows('model_outcome_lists'));
      const longest = Math.max(...lists.map((l) => l.positions.length));
      expect(longest).toBeGreaterThan(8);
      for (const { positions } of lists) expect(positions.map(Number)).toEqual([...positions.map(Number)].sort((a, b) => a - b));
      const byId = new Map(rows.map((r) => [r.event_id, r.position]));
      for (const { positions, event_ids } of lists) expect(event_ids.split('\n').map((id) => byId.get(id))).toEqual(positions);
      const replacement = await engine.rebuild('model-outcomes');
      await engine.runningProcessors().get(replacement.instanceId)!.whenCaughtUp();
      const { rows: rebuilt } = await db.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM model_outcome_rows WHERE instance_id = $1', [replacement.instanceId]);
      expect(rebuilt[0]!.n).toBe(String(rows.length));
      await engine.stop();
      await engine.drop(instanceId);
      const { rows: left } = await db.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM model_outcome_rows WHERE instance_id = $1', [instanceId]);
      expect(left[0]!.n).toBe('0');
    } finally {
      await engine.stop();
    }
  });
});

describe('given/then helper', () => {
  it('refuses a projection whose result depends on how events are batched', () => {
    const batchCounter = defineChangesProjection({
      name: 'batch-counter',
      version: 1,
      eventTypes: ['TestOutcomeRecorded'],
      defaultRules: {},
      tables: { batches: { key: { id: 'text' }, columns: { n: 'int8' } } },
      // Wrong on purpose: counts batches, not events.
      project: () => [increment('batches', { id: 'all' }, { n: 1 })],
    });
    expect(() => given(batchCounter, outcomeRun('x', 0, 4).events)).toThrow(/must not depend on batch boundaries/);
  });

  it('refuses a text append holding a line break (its lines would come back split)', () => {
    const lines = defineChangesProjection({
      name: 'lines',
      version: 1,
      eventTypes: ['TestOutcomeRecorded'],
      defaultRules: {},
      tables: { notes: { key: { id: 'text' }, columns: { text: 'text' } } },
      project: (events) => events.map((e) => append('notes', { id: 'all' }, { text: [`${e.eventId}\nsecond line`] })),
    });
    expect(() => given(lines, outcomeRun('x', 0, 2).events)).toThrow(/lines \(strings without a line break\)/);
  });
});
