import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import { given } from '../../projections/machinery/testing.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { currentInstanceId } from '../../src/projection-engine/instances/current-instance.js';
import { staticRuleSetSource } from '../../src/projection-engine/instances/rule-sets.js';
import { tryAcquireLease } from '../../src/projection-engine/instances/lease.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { appendOutcomeRuns } from './support/outcome-history.js';
import { normaliseRows, outcomeCountRows, readEverything } from './support/read-model.js';

const fast = { batchSize: 97, readBatchSize: 150, leaseTtlMs: 2000, pollIntervalMs: 100, failedPollMs: 100, instanceCheckMs: 100 };

async function expectedRows(db: TestDatabase, ruleSet?: Record<string, unknown>) {
  const events = await readEverything(db.store);
  return normaliseRows(given(outcomeCounts, events, ruleSet ? { ruleSet } : {}).rows('outcome_counts'));
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('projection engine', () => {
  let db: TestDatabase;
  let engine: ProjectionEngine;

  beforeEach(async () => {
    db = await openTestDatabase();
    engine = new ProjectionEngine({
      sql: db.sql,
      store: db.store,
      projections: [outcomeCounts],
      ruleSets: staticRuleSetSource({ strict: { countSuspectedInfraErrorsAsFails: true } }),
      options: { processor: fast, reconcileIntervalMs: 100 },
    });
  });

  afterEach(async () => {
    await engine.stop();
    await db.close();
  });

  it('catches up on existing events, then follows live appends, matching an in-memory run', async () => {
    await appendOutcomeRuns(db.store, 'a', 0, 30);
    await engine.start();
    const id = (await currentInstanceId(db.sql, 'outcome-counts'))!;
    expect(id).toBe('outcome-counts.v1.g1');
    await engine.runningProcessors().get(id)!.whenCaughtUp();
    expect(await outcomeCountRows(db.sql, id)).toEqual(await expectedRows(db));

    await appendOutcomeRuns(db.store, 'a', 30, 45);
    const total = (await readEverything(db.store)).length;
    await eventually(async () => (await engine.instance(id)).eventsProcessed === total, 20_000, 'live events');
    expect(await outcomeCountRows(db.sql, id)).toEqual(await expectedRows(db));

    const [status] = await engine.status();
    expect(status).toMatchObject({ instanceId: id, current: true, state: 'live', lag: { events: 0, seconds: 0 } });
    expect(status!.eventsProcessed).toBe(total);
    expect(status!.processor?.owner).toBe(engine.runningProcessors().get(id)!.owner);
  });

  it('rebuilds under a rule set beside the current instance, which keeps answering until the switch', async () => {
    await appendOutcomeRuns(db.store, 'b', 0, 20);
    await engine.start();
    const first = (await currentInstanceId(db.sql, 'outcome-counts'))!;
    await engine.runningProcessors().get(first)!.whenCaughtUp();
    const firstRows = await outcomeCountRows(db.sql, first);

    // Hold the new instances' leases elsewhere, so they cannot catch up yet (as if another process were slow).
    const held = ['outcome-counts.v1.g2', 'outcome-counts.v1.strict.g1'];
    for (const id of held) expect(await tryAcquireLease(db.sql, id, 'another-process', 60_000)).toBe(true);
    const rebuilt = await engine.rebuild('outcome-counts');
    const strict = await engine.rebuild('outcome-counts', 'strict');
    expect([rebuilt.instanceId, strict.instanceId]).toEqual(held);
    await new Promise((r) => setTimeout(r, 500));

    // Meanwhile queries keep answering from the current instance.
    expect(await currentInstanceId(db.sql, 'outcome-counts')).toBe(first);
    expect(await currentInstanceId(db.sql, 'outcome-counts', 'strict')).toBeNull();
    expect(await outcomeCountRows(db.sql, (await currentInstanceId(db.sql, 'outcome-counts'))!)).toEqual(firstRows);
    const waiting = (await engine.status()).find((s) => s.instanceId === rebuilt.instanceId)!;
    expect(waiting).toMatchObject({ state: 'rebuilding', current: false, eventsProcessed: 0, processor: { owner: 'another-process' } });
    expect(waiting.progress).toMatchObject({ done: 0, total: 400, percent: 0 });

    await db.sql.query('DELETE FROM projection_leases WHERE owner = $1', ['another-process']);
    await eventually(async () => (await currentInstanceId(db.sql, 'outcome-counts')) === rebuilt.instanceId, 20_000, 'switch');
    await eventually(async () => (await currentInstanceId(db.sql, 'outcome-counts', 'strict')) === strict.instanceId, 20_000, 'strict');
    expect(await outcomeCountRows(db.sql, rebuilt.instanceId)).toEqual(await expectedRows(db));
    expect(await outcomeCountRows(db.sql, rebuilt.instanceId)).toEqual(firstRows);
    expect(await outcomeCountRows(db.sql, strict.instanceId)).toEqual(
      await expectedRows(db, { countSuspectedInfraErrorsAsFails: true }),
    );
    expect(await outcomeCountRows(db.sql, strict.instanceId)).not.toEqual(firstRows);

    const statuses = await engine.status();
    expect(statuses.find((s) => s.instanceId === first)).toMatchObject({ state: 'retired', current: false });
    expect(statuses.find((s) => s.instanceId === strict.instanceId)).toMatchObject({ ruleSetId: 'strict', current: true, state: 'live' });

    await expect(engine.drop(rebuilt.instanceId)).rejects.toThrow(/is current/);
    await engine.drop(first);
    expect(await outcomeCountRows(db.sql, first)).toEqual([]);
    expect((await engine.status()).map((s) => s.instanceId)).not.toContain(first);
  });
});
