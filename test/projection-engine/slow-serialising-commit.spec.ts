/**
 * A batch whose documents take long to serialise still commits. On PostgreSQL the batch transaction may sit
 * idle only for the lease's lifetime (idle_in_transaction_session_timeout, so a frozen holder cannot keep its
 * locks); serialising inside the transaction made every commit of a large batch on a loaded machine end its own
 * session and retry for ever. Statements are now built before the transaction opens.
 */
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { defineDocumentProjection } from '../../projections/machinery/projection.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { appendOutcomeRuns } from './support/outcome-history.js';

const SERIALISE_MS = 700;
const LEASE_TTL_MS = 400;

/** Serialising one of these costs SERIALISE_MS of CPU, as a large document does on a loaded machine. */
function slowToSerialise(outcomes: number): { outcomes: number } {
  const doc = { outcomes };
  Object.defineProperty(doc, 'toJSON', {
    enumerable: false,
    value: () => {
      const until = Date.now() + SERIALISE_MS;
      while (Date.now() < until) {
        /* busy: the event loop, and so the transaction, waits */
      }
      return { outcomes };
    },
  });
  return doc;
}

const perModel = defineDocumentProjection<{ outcomes: number }, Record<string, never>>({
  name: 'slow-documents',
  version: 1,
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  documentTable: 'slow_documents',
  documentKeys: (event) => [(event.data as TestOutcomeRecordedData).model],
  initialDocument: () => ({ outcomes: 0 }),
  evolve: (doc) => slowToSerialise(doc.outcomes + 1),
});

const onPostgres = process.env.DATABASE_URL?.trim() ? describe : describe.skip;

onPostgres(`a slow-to-serialise batch on PostgreSQL${process.env.DATABASE_URL?.trim() ? '' : ' (not run: DATABASE_URL is not set)'}`, () => {
  let db: TestDatabase;
  afterAll(async () => db?.close());

  it('commits although serialising takes longer than the idle-in-transaction limit', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'slow', 0, 2, 3);
    const engine = new ProjectionEngine({
      sql: db.sql,
      store: db.store,
      projections: [perModel],
      options: { processor: { batchSize: 1000, readBatchSize: 1000, pollIntervalMs: 50, leaseTtlMs: LEASE_TTL_MS }, reconcileIntervalMs: 100 },
    });
    try {
      await engine.start();
      const caughtUp = engine.runningProcessors().get('slow-documents.v1.g1')!.whenCaughtUp();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('never committed within 20 s')), 20_000)));
      await Promise.race([caughtUp, timeout]).finally(() => clearTimeout(timer));
      const { rows } = await db.sql.query<{ outcomes: number }>(`SELECT (doc->>'outcomes')::int AS outcomes FROM slow_documents`);
      expect(rows.reduce((sum, r) => sum + r.outcomes, 0)).toBe(6);
    } finally {
      await engine.stop();
    }
  }, 60_000);
});
