/**
 * A documents rebuild from an empty instance does not ask the database for documents it never wrote
 * (src/projection-engine/schema/stored-keys.ts), and a processor resuming an instance that has documents still reads
 * them: both end with the documents of the in-memory fold.
 */
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { defineDocumentProjection } from '../../projections/machinery/projection.js';
import { given } from '../../projections/machinery/testing.js';
import type { SqlClient, SqlExecutor } from '../../src/database/sql-client.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import type { ProcessorOptions } from '../../src/projection-engine/processing/processor-options.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { appendOutcomeRuns } from './support/outcome-history.js';
import { readEverything } from './support/read-model.js';

/** A run's tally per model: every read page brings documents not seen before. */
interface RunTally {
  passed: number;
  failed: number;
}

const runTallies = defineDocumentProjection<RunTally, Record<string, never>>({
  name: 'run-tallies',
  version: 1,
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  documentTable: 'run_tallies',
  documentKeys: (event) => [`${(event.data as TestOutcomeRecordedData).runId}|${(event.data as TestOutcomeRecordedData).model}`],
  initialDocument: () => ({ passed: 0, failed: 0 }),
  evolve: (doc, event) =>
    (event.data as TestOutcomeRecordedData).passed ? { ...doc, passed: doc.passed + 1 } : { ...doc, failed: doc.failed + 1 },
});

/** The same tally per model: documents every batch meets again. */
const modelTallies = defineDocumentProjection<RunTally, Record<string, never>>({
  ...runTallies,
  name: 'model-tallies',
  documentTable: 'model_tallies',
  documentKeys: (event) => [(event.data as TestOutcomeRecordedData).model],
});

/** The SqlClient with a count of document loads (`SELECT doc_key, doc FROM <table> ...`). */
function countingLoads(sql: SqlClient, table: string): { sql: SqlClient; loads: () => number } {
  let loads = 0;
  const counted: SqlClient = Object.create(sql) as SqlClient;
  counted.query = ((text: string, params?: unknown[], options?: Parameters<SqlExecutor['query']>[2]) => {
    if (text.startsWith(`SELECT doc_key, doc FROM "${table}"`) || text.startsWith(`SELECT doc_key, doc FROM ${table} `)) loads += 1;
    return sql.query(text, params, options);
  }) as SqlClient['query'];
  return { sql: counted, loads: () => loads };
}

async function waitForEvents(db: TestDatabase, count: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const all = await readEverything(db.store);
    if (all.length >= count || Date.now() > deadline) return all;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function storedTallies(db: SqlExecutor, table: string, instanceId: string): Promise<Record<string, RunTally>> {
  const { rows } = await db.query<{ doc_key: string; doc: RunTally }>(`SELECT doc_key, doc FROM ${table} WHERE instance_id = $1`, [instanceId]);
  return Object.fromEntries(rows.map((r) => [r.doc_key, r.doc]));
}

// Commits every 500 events (25 runs of 20) and never on time, so no run is split between two batches.
const processor: Partial<ProcessorOptions> = { batchSize: 500, maxBatchMs: 600_000, readBatchSize: 50, pollIntervalMs: 100, leaseTtlMs: 5000 };

describe('stored document keys', () => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it('a rebuild from an empty instance asks the database for no document it did not write (here: none), instead of one query per page', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'keys', 0, 100, 20);
    const events = await waitForEvents(db, 2000);
    expect(events).toHaveLength(2000);
    const counting = countingLoads(db.sql, 'run_tallies');
    let commits = 0;
    const engine = new ProjectionEngine({
      sql: counting.sql,
      store: db.store,
      projections: [runTallies],
      options: { processor, hooks: { onBatchCommitted: () => (commits += 1) } },
    });
    try {
      await engine.prepare();
      const instance = (await engine.currentInstanceId(runTallies.name))!;
      await engine.run(instance).whenCaughtUp();
      expect(await storedTallies(db.sql, 'run_tallies', instance)).toEqual(given(runTallies, events).documents);
      // 2000 events: 40 pages of 50, each with runs not seen before (without the stored keys: a query per
      // page), 4 commits of 25 whole runs, so no batch meets a document an earlier batch wrote.
      expect(commits).toBe(4);
      expect(counting.loads()).toBe(0);
    } finally {
      await engine.stop();
    }
  });

  it('a processor resuming an instance that has documents reads the ones it meets, and ends with the in-memory fold', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'resume', 0, 50, 20);
    await waitForEvents(db, 1000);
    const first = new ProjectionEngine({ sql: db.sql, store: db.store, projections: [modelTallies], options: { processor } });
    await first.prepare();
    const instance = (await first.currentInstanceId(modelTallies.name))!;
    await first.run(instance).whenCaughtUp();
    await first.stop();
    expect(Object.keys(await storedTallies(db.sql, 'model_tallies', instance))).toHaveLength(4);

    await appendOutcomeRuns(db.store, 'resume', 50, 100, 20);
    const events = await waitForEvents(db, 2000);
    expect(events).toHaveLength(2000);
    const counting = countingLoads(db.sql, 'model_tallies');
    const second = new ProjectionEngine({ sql: counting.sql, store: db.store, projections: [modelTallies], options: { processor } });
    try {
      await second.run(instance, modelTallies.name).whenCaughtUp();
      expect(counting.loads()).toBeGreaterThan(0);
      // The second half adds to the four stored documents: read back, not started again from nothing.
      expect(await storedTallies(db.sql, 'model_tallies', instance)).toEqual(given(modelTallies, events).documents);
    } finally {
      await second.stop();
    }
  });
});
