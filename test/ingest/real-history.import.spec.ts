import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EvalRunRecordedData, TestOutcomeRecordedData } from '../../contracts/eval.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { evalRunStreamId } from '../../src/ingest/eval-run-events.js';
import { importResults, type ImportSummary } from '../../src/ingest/import-results.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { storedEventCount } from './support/stored-events.js';

const GPTME = path.resolve(process.cwd(), '../shared/fixtures/gptme/eval_results');
const present = existsSync(GPTME);
const describeReal = present ? describe : describe.skip;
const title = present
  ? 'importing the whole real gptme history (590 runs)'
  : 'NOT RUN: the real gptme history import tests need ../shared/fixtures/gptme, which is absent';

/** Data rows per run, counted here from the raw lines (no CSV parser: the real files have no quoted newlines). */
function rowsPerRun(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const folder of readdirSync(GPTME)) {
    const lines = readFileSync(path.join(GPTME, folder, 'eval_results.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
    counts.set(folder, lines.length - 1);
  }
  return counts;
}

describeReal(title, () => {
  let db: TestDatabase;
  let first: ImportSummary;
  const rows = present ? rowsPerRun() : new Map<string, number>();
  const totalRows = [...rows.values()].reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    db = await openTestDatabase();
    first = await importResults(withCatalogue(db.store), GPTME);
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it('imports every run, rejects none, and writes one event per row plus one per run', async () => {
    expect(rows.size).toBe(590);
    expect(totalRows).toBe(23_944);
    expect(first).toMatchObject({ runsFound: 590, newRuns: 590, alreadyRecorded: 0, rejected: [], skipped: [], warnings: [] });
    expect(first.outcomes).toBe(totalRows);
    expect(first.eventsAppended).toBe(totalRows + 590);
    expect(await storedEventCount(db.sql)).toBe(totalRows + 590);
  });

  it('each run stream holds its file rows in order, after its EvalRunRecorded', async () => {
    for (const runId of ['20240927_165642Z', '20240928_131505Z', '20250912_025203Z', '20260822_025022Z']) {
      const [run, ...outcomes] = await db.store.readStream(evalRunStreamId(runId));
      expect(run!.type).toBe('EvalRunRecorded');
      expect((run!.data as EvalRunRecordedData).counts.outcomes).toBe(rows.get(runId));
      expect(outcomes).toHaveLength(rows.get(runId)!);
    }
  });

  it('stores the infra-error row of 20260822_025022Z flagged, with the run time as occurredAt', async () => {
    const [run, firstOutcome] = await db.store.readStream(evalRunStreamId('20260822_025022Z'));
    expect(firstOutcome!.data as TestOutcomeRecordedData).toMatchObject({
      model: 'anthropic/claude-haiku-4-5',
      toolFormat: 'tool',
      test: 'hello',
      passed: false,
      suspectedInfraError: true,
    });
    expect(firstOutcome!.metadata.occurredAt).toBe('2026-08-22T02:50:22.000Z');
    expect((run!.data as EvalRunRecordedData).counts).toEqual({ outcomes: 50, passed: 10, failed: 40, suspectedInfraErrors: 25 });
  });

  it('a second import adds 0 events', async () => {
    const again = await importResults(db.store, GPTME);
    expect(again).toMatchObject({ newRuns: 0, alreadyRecorded: 590, rejected: [], eventsAppended: 0 });
    expect(await storedEventCount(db.sql)).toBe(totalRows + 590);
  }, 300_000);
});
