/**
 * Under a stream of small appends a processor groups its work: its subscription reads the head at most once per
 * `headReadIntervalMs` while events keep coming (the first wake-up after a quiet spell reads at once), and a
 * batch of none of its projection's events moves the checkpoint after `idleCommitMs` at the latest, or with the
 * next of its own events (src/projection-engine/processing/idle-commit.ts).
 */
import { newEvent } from '../../contracts/catalogue.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import type { SubscriptionMessage } from '../../src/event-store/event-store.port.js';
import { currentInstanceId } from '../../src/projection-engine/instances/current-instance.js';
import { findInstance } from '../../src/projection-engine/instances/instances.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { appendOutcomeRuns } from './support/outcome-history.js';
import { eventually } from './support/eventually.js';

const otherEvent = (n: number) =>
  newEvent('ExternalChangeObserved', { changeId: `change-${n}`, kind: 'model-api', subject: 'openai/gpt-4o', description: `change ${n}` }, { occurredAt: '2026-01-02T00:00:00.000Z', source: 'test' });

async function nextEvents(iterator: AsyncIterator<SubscriptionMessage>): Promise<RecordedEvent[]> {
  for (;;) {
    const result = await iterator.next();
    if (result.done) throw new Error('the subscription ended');
    if (result.value.kind === 'events') return result.value.events;
  }
}

describe('a processor groups a stream of small appends', () => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it('reads the head at once after a quiet spell, then at most once per interval while events keep coming', async () => {
    db = await openTestDatabase();
    const iterator = db.store.subscribeToAll({ batchSize: 100, pollIntervalMs: 60_000, headReadIntervalMs: 3000 })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ kind: 'caught-up' });
    const quiet = performance.now();
    const first = nextEvents(iterator);
    await db.store.appendToStream('grouping-0', [otherEvent(0)]);
    expect((await first).map((e) => e.streamId)).toEqual(['grouping-0']);
    expect(performance.now() - quiet).toBeLessThan(2000); // not held back by the 3 s interval
    const rest = nextEvents(iterator);
    for (let n = 1; n <= 5; n++) {
      await db.store.appendToStream(`grouping-${n}`, [otherEvent(n)]);
      await new Promise((r) => setTimeout(r, 30));
    }
    // Five appends, five wake-ups: one read after the interval, which finds all of them.
    expect((await rest).map((e) => e.streamId)).toEqual(['grouping-1', 'grouping-2', 'grouping-3', 'grouping-4', 'grouping-5']);
    await iterator.return!();
  });

  it('moves the checkpoint over other projections events after idleCommitMs, or with its own next event', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'idle', 0, 2, 5);
    const idleCommitMs = 1500;
    const processor = { batchSize: 1000, readBatchSize: 1000, leaseTtlMs: 5000, pollIntervalMs: 100, headReadIntervalMs: 0, idleCommitMs };
    const engine = new ProjectionEngine({ sql: db.sql, store: db.store, projections: [outcomeCounts], options: { processor } });
    try {
      await engine.start();
      const id = (await currentInstanceId(db.sql, outcomeCounts.name))!;
      const checkpoint = async () => (await findInstance(db.sql, id))!.checkpoint.commit;
      const head = async () => (await db.store.headPosition())!.commit;
      await eventually(async () => (await checkpoint()) === (await head()), 'the outcomes committed', 20_000, 20);
      await eventually(async () => (await findInstance(db.sql, id))!.phase === 'live', 'live', 20_000, 20);

      const before = await checkpoint();
      const appended = performance.now();
      await db.store.appendToStream('idle-other-1', [otherEvent(1)]);
      await engine.runningProcessors().get(id)!.whenCaughtUp();
      await new Promise((r) => setTimeout(r, 300));
      if (performance.now() - appended < idleCommitMs - 200) expect(await checkpoint()).toBe(before); // waiting for company
      await eventually(async () => (await checkpoint()) === (await head()), 'the idle batch committed', idleCommitMs + 10_000, 20);

      // Another projection's event, then one of its own: both go in with the own event's commit, without the wait.
      await db.store.appendToStream('idle-other-2', [otherEvent(2)]);
      await new Promise((r) => setTimeout(r, 100));
      const own = performance.now();
      await appendOutcomeRuns(db.store, 'idle', 2, 3, 5);
      await eventually(async () => (await checkpoint()) === (await head()), 'the own events committed', 20_000, 20);
      expect(performance.now() - own).toBeLessThan(idleCommitMs);
      expect((await findInstance(db.sql, id))!.eventsProcessed).toBe((await db.store.countAfter()));
    } finally {
      await engine.stop();
    }
  });
});
