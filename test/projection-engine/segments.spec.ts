/**
 * Segmented instances (both stores): two engines on one database share the segments of an instance (the one
 * started first gives half back when the second joins), status (engine, CLI table) lists each segment and its
 * holder, the rows equal a fold of the log (counters, so an event applied twice or lost would show), and when
 * one engine stops the other takes its segments over.
 */
import { testHistory } from '../../projections/eval/test-history.js';
import { given } from '../../projections/machinery/testing.js';
import { formatStatusTable } from '../../src/projection-engine/cli/format-status.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import type { InstanceStatus } from '../../src/projection-engine/status/status.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { appendOutcomeRuns } from './support/outcome-history.js';
import { normaliseRows, outcomeCountRows, readEverything } from './support/read-model.js';
import { segmentedOutcomeCounts } from './support/segmented-outcome-counts.js';

const fast = { batchSize: 97, readBatchSize: 150, leaseTtlMs: 1500, pollIntervalMs: 100, failedPollMs: 100, instanceCheckMs: 100 };
const COUNTS = 'outcome-counts.v1.g1';
const HISTORY = 'test-history.v1.g1';

async function eventually<T>(what: string, check: () => Promise<T | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const holders = (s: InstanceStatus) => s.segments.units.map((u) => u.holder?.owner ?? null);
const count = (owners: (string | null)[], owner: string) => owners.filter((o) => o === owner).length;

describe('segmented instances shared by two engines', () => {
  let db: TestDatabase;
  let engines: ProjectionEngine[];
  const engine = () => {
    const e = new ProjectionEngine({
      sql: db.sql,
      store: db.store,
      projections: [segmentedOutcomeCounts, testHistory],
      options: { processor: fast, reconcileIntervalMs: 100 },
    });
    engines.push(e);
    return e;
  };

  // On PostgreSQL an append becomes readable once the transaction horizon passes it.
  const everything = (n: number) =>
    eventually(`${n} events readable`, async () => {
      const events = await readEverything(db.store);
      return events.length === n && events;
    });

  beforeEach(async () => {
    db = await openTestDatabase();
    engines = [];
  });

  afterEach(async () => {
    for (const e of engines) await e.stop();
    await db.close();
  });

  it('shares the segments, lists them with their holders, and folds every event exactly once', async () => {
    await appendOutcomeRuns(db.store, 'seg', 0, 30);
    const [a, b] = [engine(), engine()];
    await a.start();
    const status = async (id: string) => (await a.status()).find((s) => s.instanceId === id)!;
    await eventually('a holds segments', async () => holders(await status(COUNTS)).some((h) => h !== null));
    await b.start();
    const [ownerA, ownerB] = [a.runningProcessors().get(COUNTS)!.owner, b.runningProcessors().get(COUNTS)!.owner];
    expect(ownerA).not.toBe(ownerB);
    for (const id of [COUNTS, HISTORY]) {
      await eventually(`${id} shared 2 + 2`, async () => {
        const owners = holders(await status(id));
        return count(owners, ownerA) === 2 && count(owners, ownerB) === 2;
      });
    }
    await appendOutcomeRuns(db.store, 'seg', 30, 45);
    const events = await everything(45 * 20);
    const last = events.at(-1)!.position;
    let seen = '';
    await eventually('both at the head, live', async () => {
      const all = await a.status();
      seen = JSON.stringify(all.map((s) => [s.instanceId, s.state, s.position, s.segments.units.map((u) => [u.position, u.holder?.owner, u.caughtUp])]));
      return all.every((s) => s.state === 'live' && s.position?.commit === last.commit.toString() && s.position.prepare === last.prepare.toString());
    }).catch((error: Error) => {
      throw new Error(`${error.message}: head ${last.commit}/${last.prepare}, ${seen}`);
    });

    const counts = await status(COUNTS);
    expect(counts).toMatchObject({ current: true, eventsProcessed: events.length, processor: null });
    expect(counts.segments).toMatchObject({ count: 4, by: 'model, tool format and test', oneSegmentBecause: null });
    expect(counts.segments.units.every((u) => u.caughtUp && u.eventsProcessed === events.length)).toBe(true);
    expect(await outcomeCountRows(db.sql, COUNTS)).toEqual(normaliseRows(given(segmentedOutcomeCounts, events).rows('outcome_counts')));
    const { rows } = await db.sql.query<{ event_id: string }>('SELECT event_id FROM eval_test_history WHERE instance_id = $1', [HISTORY]);
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.eventId).sort());

    const table = formatStatusTable([counts]);
    expect(table).toContain('4/4 segments held');
    expect(table).toMatch(new RegExp(`${COUNTS} segment 1/4 \\(by model, tool format and test\\): position \\d+/\\d+, ${events.length} events, caught up, held by `));

    // One engine leaves: the other takes its segments over (after their leases expire) and keeps projecting.
    await b.stop();
    await eventually('a holds all 4', async () => count(holders(await status(COUNTS)), ownerA) === 4, 15_000);
    await appendOutcomeRuns(db.store, 'seg', 45, 50);
    const more = await everything(50 * 20);
    await eventually('a folded the new runs', async () => (await status(COUNTS)).eventsProcessed === more.length);
    expect(await outcomeCountRows(db.sql, COUNTS)).toEqual(normaliseRows(given(segmentedOutcomeCounts, more).rows('outcome_counts')));
  }, 120_000);

  it('a rebuild of a segmented instance is promoted only when every segment has caught up', async () => {
    await appendOutcomeRuns(db.store, 'seg', 0, 20);
    const a = engine();
    await a.start();
    await a.runningProcessors().get(COUNTS)!.whenCaughtUp();
    const rebuilt = await a.rebuild('outcome-counts');
    await eventually('promoted', async () => (await a.currentInstanceId('outcome-counts')) === rebuilt.instanceId);
    const segments = (await a.status()).find((s) => s.instanceId === rebuilt.instanceId)!.segments.units;
    expect(segments.map((u) => u.caughtUp)).toEqual([true, true, true, true]);
    const events = await everything(20 * 20);
    expect(await outcomeCountRows(db.sql, rebuilt.instanceId)).toEqual(normaliseRows(given(segmentedOutcomeCounts, events).rows('outcome_counts')));
    await a.drop(COUNTS);
    const { rows } = await db.sql.query('SELECT * FROM projection_segments WHERE instance_id = $1', [COUNTS]);
    expect(rows).toEqual([]);
  }, 60_000);
});
