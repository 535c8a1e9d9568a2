/**
 * A batch that changes no rows commits in one statement (advanceCheckpointUnderLease): the lease's renewal and
 * the checkpoint's compare-and-set succeed together or not at all, and each refusal is told apart.
 */
import { advanceCheckpointUnderLease, type CheckpointAdvance } from '../../src/projection-engine/instances/checkpoint-advance.js';
import { createInstance, findInstance, type InstanceRecord } from '../../src/projection-engine/instances/instances.js';
import { tryAcquireLease } from '../../src/projection-engine/instances/lease.js';
import { ensureEngineSchema } from '../../src/projection-engine/schema/engine-schema.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const TTL_MS = 60_000;

describe('a checkpoint-only commit under the lease', () => {
  let db: TestDatabase;
  let instance: InstanceRecord;

  beforeAll(async () => {
    db = await openTestDatabase();
    await ensureEngineSchema(db.sql);
    instance = await db.sql.transaction((tx) => createInstance(tx, { name: 'quiet', version: 1, ruleSetId: 'default' }, {}, [], 'live'));
    expect(await tryAcquireLease(db.sql, instance.instanceId, 'owner-a', TTL_MS)).toBe(true);
  });
  afterAll(async () => db?.close());

  const advance = (from: InstanceRecord['checkpoint'], to: bigint): CheckpointAdvance => ({
    from,
    to: { commit: to, prepare: to },
    events: 5,
    lastGlobalPosition: to,
    lastRecordedAt: new Date('2026-12-07T00:00:00Z'),
    eventsPerSecond: 12,
  });
  const expiry = async () =>
    (await db.sql.query<{ expires_at: Date }>('SELECT expires_at FROM projection_leases WHERE instance_id = $1', [instance.instanceId])).rows[0]!.expires_at.getTime();
  const lease = (owner: string) => ({ unitId: instance.instanceId, owner, ttlMs: TTL_MS });

  it('moves the checkpoint and renews the lease', async () => {
    const before = await expiry();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await advanceCheckpointUnderLease(db.sql, instance.instanceId, lease('owner-a'), advance(instance.checkpoint, 100n))).toBe('advanced');
    const after = (await findInstance(db.sql, instance.instanceId))!;
    expect([after.checkpoint, after.eventsProcessed, after.lastGlobalPosition, after.eventsPerSecond]).toEqual([{ commit: 100n, prepare: 100n }, 5, 100n, 12]);
    expect(await expiry()).toBeGreaterThan(before);
  });

  it('refuses a stale checkpoint as checkpoint-moved, writing nothing', async () => {
    const before = await expiry();
    expect(await advanceCheckpointUnderLease(db.sql, instance.instanceId, lease('owner-a'), advance(instance.checkpoint, 200n))).toBe('checkpoint-moved');
    expect((await findInstance(db.sql, instance.instanceId))!.checkpoint).toEqual({ commit: 100n, prepare: 100n });
    // The renewal was rolled back with the statement.
    expect(await expiry()).toBe(before);
  });

  it('refuses another owner as lease-lost, moving neither the checkpoint nor the lease', async () => {
    const before = await expiry();
    const current = (await findInstance(db.sql, instance.instanceId))!.checkpoint;
    expect(await advanceCheckpointUnderLease(db.sql, instance.instanceId, lease('owner-b'), advance(current, 300n))).toBe('lease-lost');
    expect((await findInstance(db.sql, instance.instanceId))!.checkpoint).toEqual({ commit: 100n, prepare: 100n });
    expect(await expiry()).toBe(before);
  });
});
