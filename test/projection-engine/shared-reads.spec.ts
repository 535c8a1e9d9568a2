/**
 * Shared reads of the global log (src/event-store/sql/shared-pages.ts): subscriptions at the same position
 * read each full page once; a page that comes back short is never handed to a subscription that joined its
 * read late; and instances rebuilt together end with exactly the rows each gets when rebuilt alone.
 */
import type { Position, RecordedEvent } from '../../contracts/envelope.js';
import { experimentOutcomes, EXPERIMENT_OUTCOMES_TABLE } from '../../projections/experiments/experiment-outcomes.js';
import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import { given } from '../../projections/machinery/testing.js';
import type { SqlClient, SqlExecutor } from '../../src/database/sql-client.js';
import type { EventStore, SubscriptionMessage } from '../../src/event-store/event-store.port.js';
import { selectAllEvents } from '../../src/event-store/sql/read-events.js';
import { wholePage } from '../../src/event-store/sql/log-page.js';
import { SharedPages } from '../../src/event-store/sql/shared-pages.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { appendOutcomeRuns } from './support/outcome-history.js';
import { normaliseRows, outcomeCountRows, readEverything } from './support/read-model.js';

/** The SqlClient with a count of the global-log page reads (the statement of `selectAllEvents`). */
function countingLogReads(sql: SqlClient): { sql: SqlClient; reads: () => number } {
  let reads = 0;
  const isLogRead = (text: string) => /ORDER BY transaction_id, global_position\s+LIMIT/.test(text);
  const counted: SqlClient = Object.create(sql) as SqlClient;
  counted.query = ((text: string, params?: unknown[], options?: Parameters<SqlExecutor['query']>[2]) => {
    if (isLogRead(text)) reads += 1;
    return sql.query(text, params, options);
  }) as SqlClient['query'];
  return { sql: counted, reads: () => reads };
}

async function nextEvents(iterator: AsyncIterator<SubscriptionMessage>): Promise<RecordedEvent[] | 'caught-up'> {
  const result = await iterator.next();
  if (result.done) throw new Error('the subscription ended');
  return result.value.kind === 'events' ? result.value.events : 'caught-up';
}

const ids = (events: readonly RecordedEvent[]) => events.map((e) => e.eventId);

/** Every event, once `count` are readable (on PostgreSQL another session's open transaction can hold the horizon back a moment). */
async function visibleEvents(store: EventStore, count: number): Promise<RecordedEvent[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const all = await readEverything(store);
    if (all.length >= count || Date.now() > deadline) return all;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('shared reads of the global log', () => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it('two subscriptions from the start read each full page once and each gets every event in order', async () => {
    db = await openTestDatabase();
    // 23 runs of 10 outcomes: 230 events = 4 full pages of 50 and a short one of 30.
    await appendOutcomeRuns(db.store, 'shared', 0, 23, 10);
    const counting = countingLogReads(db.sql);
    const store = new SqlEventStore(counting.sql);
    const all = await visibleEvents(db.store, 230);
    expect(all).toHaveLength(230);
    const a = store.subscribeToAll({ batchSize: 50 })[Symbol.asyncIterator]();
    const b = store.subscribeToAll({ batchSize: 50 })[Symbol.asyncIterator]();
    const seenA: RecordedEvent[] = [];
    const seenB: RecordedEvent[] = [];
    for (;;) {
      const [pageA, pageB] = await Promise.all([nextEvents(a), nextEvents(b)]);
      if (pageA === 'caught-up' || pageB === 'caught-up') {
        expect([pageA, pageB]).toEqual(['caught-up', 'caught-up']);
        break;
      }
      seenA.push(...pageA);
      seenB.push(...pageB);
    }
    expect(ids(seenA)).toEqual(ids(all));
    expect(ids(seenB)).toEqual(ids(all));
    // 4 full pages and the short last page read once: both read the head at the same wake-up generation (alone: 5 each, 10).
    expect(counting.reads()).toBe(5);
    await a.return!();
    await b.return!();
    await store.close();
  });

  it('a subscription that joined a read coming back short reads again, so it sees events appended before it asked', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'short', 0, 1, 3);
    expect(await visibleEvents(db.store, 3)).toHaveLength(3);
    const sql = db.sql;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let selected!: () => void;
    const firstSelected = new Promise<void>((resolve) => (selected = resolve));
    let calls = 0;
    const pages = new SharedPages(
      async (after, maxCount) => {
        calls += 1;
        const events = await selectAllEvents(sql, sql.kind, after, maxCount);
        if (calls === 1) {
          selected();
          await held; // the first read has its rows but has not returned them yet
        }
        return wholePage(events, maxCount);
      },
      () => [undefined, undefined],
    );
    const first = pages.read(undefined, 10);
    await firstSelected;
    await appendOutcomeRuns(db.store, 'short', 1, 2, 2);
    const everything = await visibleEvents(db.store, 5);
    const second = pages.read(undefined, 10);
    release();
    expect((await first).events).toHaveLength(3);
    expect(everything).toHaveLength(5);
    expect(ids((await second).events)).toEqual(ids(everything));
    expect(calls).toBe(2);
  });

  it('shares a short page in flight only with readers of the same wake-up generation', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'generation', 0, 1, 3);
    expect(await visibleEvents(db.store, 3)).toHaveLength(3);
    const sql = db.sql;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const pages = new SharedPages(
      async (after, maxCount) => {
        calls += 1;
        const events = await selectAllEvents(sql, sql.kind, after, maxCount);
        if (calls === 1) await held;
        return wholePage(events, maxCount);
      },
      () => [undefined, undefined, undefined],
    );
    const first = pages.read(undefined, 10, 7);
    const sameWakeup = pages.read(undefined, 10, 7);
    const laterWakeup = pages.read(undefined, 10, 8);
    release();
    const [a, b, c] = await Promise.all([first, sameWakeup, laterWakeup]);
    expect(b).toBe(a); // joined the read in flight
    expect(ids(c.events)).toEqual(ids(a.events));
    expect(c).not.toBe(a); // a newer wake-up reads for itself
    expect(calls).toBe(2);
    expect(pages.size).toBe(0); // a short page is not kept once read
  });

  it('keeps a full page only while some open subscription has not passed it', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'keep', 0, 2, 10);
    expect(await visibleEvents(db.store, 20)).toHaveLength(20);
    const sql = db.sql;
    let calls = 0;
    const positions: (Position | undefined)[] = [undefined, undefined];
    const pages = new SharedPages(async (after, maxCount) => {
      calls += 1;
      return wholePage(await selectAllEvents(sql, sql.kind, after, maxCount), maxCount);
    }, () => positions);
    const { events: page } = await pages.read(undefined, 10);
    expect(pages.size).toBe(1);
    expect((await pages.read(undefined, 10)).events).toBe(page); // the second subscription's read: no statement
    expect(calls).toBe(1);
    positions[0] = page[9]!.position;
    positions[1] = page[9]!.position;
    await pages.read(page[9]!.position, 10); // both passed the first page: it is dropped
    expect(calls).toBe(2);
    positions.length = 0; // every subscription closed
    await pages.read(undefined, 10);
    expect(calls).toBe(3);
  });

  it('keeps no page for a subscription further behind than maxPages pages', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'far', 0, 3, 10);
    const all = await visibleEvents(db.store, 30);
    expect(all).toHaveLength(30);
    const sql = db.sql;
    const read = async (after: Position | undefined, maxCount: number) => wholePage(await selectAllEvents(sql, sql.kind, after, maxCount), maxCount);
    // One subscription still at the start, the reader now past the second page (after event 10).
    const positions = () => [undefined, all[19]!.position];
    const onePage = new SharedPages(read, positions, 1);
    const twoPages = new SharedPages(read, positions, 2);
    for (const pages of [onePage, twoPages]) {
      expect((await pages.read(all[9]!.position, 10)).events).toHaveLength(10);
      pages.prune();
    }
    // The second page starts 10 events after the start: more than 1 page of 10 away, within 2.
    expect(onePage.size).toBe(0);
    expect(twoPages.size).toBe(1);
  });

  it('instances rebuilt together read the log about once and end with the rows each gets alone and in memory', async () => {
    db = await openTestDatabase();
    await appendOutcomeRuns(db.store, 'together', 0, 100, 20);
    const events = await visibleEvents(db.store, 2000);
    expect(events).toHaveLength(2000);
    const counting = countingLogReads(db.sql);
    const store = new SqlEventStore(counting.sql);
    const engine = new ProjectionEngine({
      sql: db.sql,
      store,
      projections: [outcomeCounts, experimentOutcomes],
      options: { processor: { batchSize: 300, readBatchSize: 50, pollIntervalMs: 5000, leaseTtlMs: 5000 } },
    });
    const outcomeDays = async (instanceId: string) =>
      (await db.sql.query<{ doc_key: string; doc: unknown }>(
        `SELECT doc_key, doc FROM ${EXPERIMENT_OUTCOMES_TABLE} WHERE instance_id = $1 ORDER BY doc_key COLLATE "C"`,
        [instanceId],
      )).rows.map((r) => [r.doc_key, r.doc]);
    try {
      await engine.prepare();
      // Alone: one instance after the other.
      const aloneCounts = await engine.rebuild(outcomeCounts.name);
      await engine.run(aloneCounts.instanceId).whenCaughtUp();
      const aloneDays = await engine.rebuild(experimentOutcomes.name);
      const readsBefore = counting.reads();
      await engine.run(aloneDays.instanceId).whenCaughtUp();
      const readsAlone = counting.reads() - readsBefore;
      // Together: both started in the same tick, as a rule set's build does.
      const counts = await engine.rebuild(outcomeCounts.name);
      const days = await engine.rebuild(experimentOutcomes.name);
      const readsBeforeTogether = counting.reads();
      const running = [engine.run(counts.instanceId), engine.run(days.instanceId)];
      await Promise.all(running.map((p) => p.whenCaughtUp()));
      const readsTogether = counting.reads() - readsBeforeTogether;

      const expectedCounts = normaliseRows(given(outcomeCounts, events).rows('outcome_counts'));
      expect(expectedCounts.length).toBeGreaterThan(0);
      expect(await outcomeCountRows(db.sql, counts.instanceId)).toEqual(expectedCounts);
      expect(await outcomeCountRows(db.sql, aloneCounts.instanceId)).toEqual(expectedCounts);
      const expectedDays = Object.entries(given(experimentOutcomes, events).documents).sort(([a], [b]) => (a < b ? -1 : 1));
      expect(expectedDays.length).toBeGreaterThan(0);
      expect(await outcomeDays(days.instanceId)).toEqual(expectedDays);
      expect(await outcomeDays(aloneDays.instanceId)).toEqual(expectedDays);
      // 2000 events are 40 pages of 50: one instance alone reads at least 40; the two together far fewer than 80.
      expect(readsAlone).toBeGreaterThanOrEqual(40);
      expect(readsTogether).toBeLessThan(readsAlone * 1.5);
    } finally {
      await engine.stop();
      await store.close();
    }
  });
});
