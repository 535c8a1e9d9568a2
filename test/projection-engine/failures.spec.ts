import type { RecordedEvent } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { defineChangesProjection, increment, upsert } from '../../projections/machinery/projection.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { outcomeRun, seededUuid } from './support/outcome-history.js';
import { eventually } from './support/eventually.js';

const fast = { batchSize: 50, readBatchSize: 50, leaseTtlMs: 2000, pollIntervalMs: 100, failedPollMs: 100, instanceCheckMs: 100 };

/** Counts outcomes per test, and throws on the test named "poison" until `healed` is set. */
let healed = false;
let projectCalls = 0;
const poisonable = defineChangesProjection({
  name: 'poisonable-counts',
  version: 1,
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  tables: { poisonable_counts: { key: { test: 'text' }, columns: { outcomes: 'int8' } } },
  project(events: readonly RecordedEvent[]) {
    projectCalls++;
    return events.map((event) => {
      const outcome = event.data as TestOutcomeRecordedData;
      if (outcome.test === 'poison' && !healed) throw new Error(`cannot count test ${outcome.test}`);
      return increment('poisonable_counts', { test: outcome.test }, { outcomes: 1 });
    });
  },
});

function poisonEvent(id: string) {
  return {
    eventId: id,
    type: 'TestOutcomeRecorded',
    schemaVersion: 2,
    data: { ...outcomeRun('p', 999, 1).events[0]!.data as TestOutcomeRecordedData, test: 'poison' },
    metadata: { occurredAt: '2026-02-01T00:00:00.000Z', source: 'test' },
  };
}

async function countedOutcomes(db: TestDatabase, instanceId: string): Promise<number> {
  const { rows } = await db.sql.query<{ n: string | null }>(
    'SELECT SUM(outcomes)::text AS n FROM poisonable_counts WHERE instance_id = $1',
    [instanceId],
  );
  return Number(rows[0]!.n ?? 0);
}

describe('a projection that throws on an event', () => {
  let db: TestDatabase;
  let engine: ProjectionEngine;
  const newEngine = () =>
    new ProjectionEngine({ sql: db.sql, store: db.store, projections: [poisonable], options: { processor: fast, reconcileIntervalMs: 100 } });

  beforeEach(async () => {
    healed = false;
    db = await openTestDatabase();
    // 30 good events, the poison as the 31st (mid-batch), then 19 more good ones.
    await db.store.appendToStream('before', outcomeRun('p', 0, 30).events);
    await db.store.appendToStream('poison', [poisonEvent(seededUuid('poison'))]);
    await db.store.appendToStream('after', outcomeRun('p', 1, 19).events);
    engine = newEngine();
  });

  afterEach(async () => {
    await engine.stop();
    await db.close();
  });

  it('stops at that event, shows the error in status, does not spin, and resumes on retry', async () => {
    await engine.start();
    const id = 'poisonable-counts.v1.g1';
    await eventually(async () => (await engine.status())[0]?.state === 'failed', 'the failure');
    const [status] = await engine.status();
    const [poison] = await db.store.readStream('poison');
    expect(status!.error).toMatchObject({
      message: 'cannot count test poison',
      eventId: poison!.eventId,
      eventType: 'TestOutcomeRecorded',
      position: { commit: poison!.position.commit.toString(), prepare: poison!.position.prepare.toString() },
      globalPosition: poison!.globalPosition.toString(),
    });
    // Everything before the poison is applied, nothing after it, and the checkpoint sits just before it.
    expect(await countedOutcomes(db, id)).toBe(30);
    expect(status!.eventsProcessed).toBe(30);
    expect(status!.lag!.events).toBe(20);

    const calls = projectCalls;
    await new Promise((r) => setTimeout(r, 600));
    expect(projectCalls).toBe(calls); // waiting for a retry does not re-run the projection
    expect((await engine.status())[0]!.state).toBe('failed');

    healed = true;
    expect(await engine.retry(id)).toBe(true);
    await eventually(async () => (await engine.status())[0]?.state === 'live', 'the retry');
    expect(await countedOutcomes(db, id)).toBe(50);
    expect((await engine.status())[0]).toMatchObject({ error: null, eventsProcessed: 50, lag: { events: 0 } });
  });

  it('retries the failing event when the process restarts', async () => {
    await engine.start();
    await eventually(async () => (await engine.status())[0]?.state === 'failed', 'the failure');
    await engine.stop();
    healed = true;
    engine = newEngine();
    await engine.start();
    await eventually(async () => (await engine.status())[0]?.state === 'live', 'the restart');
    expect(await countedOutcomes(db, 'poisonable-counts.v1.g1')).toBe(50);
  });
});

/** Writes each outcome's test name into a bigint column: the database refuses the poison's "not a number". */
const typed = defineChangesProjection({
  name: 'typed-values',
  version: 1,
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  tables: { typed_values: { key: { event_id: 'text' }, columns: { n: 'int8' } } },
  project: (events: readonly RecordedEvent[]) =>
    events.map((event) => {
      const outcome = event.data as TestOutcomeRecordedData;
      return upsert('typed_values', { event_id: event.eventId }, { n: outcome.test === 'poison' ? 'not a number' : outcome.occurrence });
    }),
});

describe('a value the database refuses', () => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it('stops at the event whose value was refused, with everything before it committed', async () => {
    db = await openTestDatabase();
    await db.store.appendToStream('before', outcomeRun('t', 0, 30).events);
    await db.store.appendToStream('poison', [poisonEvent(seededUuid('typed-poison'))]);
    await db.store.appendToStream('after', outcomeRun('t', 1, 19).events);
    const engine = new ProjectionEngine({ sql: db.sql, store: db.store, projections: [typed], options: { processor: fast } });
    try {
      await engine.start();
      await eventually(async () => (await engine.status())[0]?.state === 'failed', 'the failure');
      const [status] = await engine.status();
      const [poison] = await db.store.readStream('poison');
      expect(status!.error).toMatchObject({ eventId: poison!.eventId, globalPosition: poison!.globalPosition.toString() });
      expect(status!.error!.message).toMatch(/invalid input syntax for type bigint/);
      expect(status!.eventsProcessed).toBe(30);
      const { rows } = await db.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM typed_values');
      expect(rows[0]!.n).toBe('30');
    } finally {
      await engine.stop();
    }
  });
});
