/**
 * Two projector processes against one PostgreSQL database: exactly one projects the instance (the other
 * waits for the lease); kill the one projecting, the other takes over and finishes; the result equals a
 * clean rebuild.
 */
import { comparePositions } from '../../contracts/envelope.js';
import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import { given } from '../../projections/machinery/testing.js';
import { migrate } from '../../src/database/migrate.js';
import { openPgSqlClient } from '../../src/database/pg-sql-client.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import { findInstance } from '../../src/projection-engine/instances/instances.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { ensureCompiled } from '../support/compiled.js';
import { spawnProjector } from './support/child-projector.js';
import { appendOutcomeRuns } from './support/outcome-history.js';
import { normaliseRows, outcomeCountRows, readEverything } from './support/read-model.js';
import { createScratchDatabase } from './support/scratch-postgres.js';

const databaseUrl = process.env.DATABASE_URL?.trim();
const INSTANCE = 'outcome-counts.v1.g1';
const processor = { batchSize: 20, readBatchSize: 100, leaseTtlMs: 1500, pollIntervalMs: 100, failedPollMs: 200, instanceCheckMs: 500 };

(databaseUrl ? describe : describe.skip)(
  `two projector processes on one PostgreSQL${databaseUrl ? '' : ' (not run: DATABASE_URL is not set)'}`,
  () => {
    beforeAll(async () => ensureCompiled(), 300_000);

    it('exactly one projects the instance; when it is killed the other takes over and finishes', async () => {
      const scratch = await createScratchDatabase(databaseUrl!);
      const sql = await openPgSqlClient({ connectionString: scratch.url });
      const store = new SqlEventStore(sql);
      const children = [] as ReturnType<typeof spawnProjector>[];
      try {
        await migrate(sql);
        const engine = new ProjectionEngine({ sql, store, projections: [outcomeCounts], options: { processor } });
        await engine.prepare();
        await appendOutcomeRuns(store, 'two', 0, 400); // 8,000 events
        const config = { database: { engine: 'postgres' as const, url: scratch.url }, instanceId: INSTANCE, processor };
        children.push(spawnProjector(config), spawnProjector(config));
        const [a, b] = children as [ReturnType<typeof spawnProjector>, ReturnType<typeof spawnProjector>];

        const first = await Promise.race([a.waitFor('lease').then(() => a), b.waitFor('lease').then(() => b)]);
        const second = first === a ? b : a;
        await first.waitFor('batch');
        await new Promise((r) => setTimeout(r, 200));
        expect(first.messages.some((m) => m.type === 'caught-up')).toBe(false); // killed mid-way, not after
        // Only the lease holder has projected anything; the other is waiting.
        expect(second.messages.filter((m) => m.type === 'lease' || m.type === 'batch')).toEqual([]);
        const before = (await findInstance(sql, INSTANCE))!.eventsProcessed;
        expect(before).toBeGreaterThan(0);

        await first.kill('SIGKILL');
        const killedAt = Date.now();
        await second.waitFor('lease', 30_000);
        expect(Date.now() - killedAt).toBeLessThan(10_000); // the lease expired and was taken over
        await second.waitFor('caught-up', 120_000);

        const instance = (await findInstance(sql, INSTANCE))!;
        const events = await readEverything(store);
        expect(comparePositions(instance.checkpoint, events.at(-1)!.position)).toBe(0);
        expect(instance.eventsProcessed).toBe(events.length);
        const rows = await outcomeCountRows(sql, INSTANCE);
        expect(rows).toEqual(normaliseRows(given(outcomeCounts, events).rows('outcome_counts')));

        const rebuilt = await engine.rebuild('outcome-counts');
        await engine.run(rebuilt.instanceId).whenCaughtUp();
        expect(rows).toEqual(await outcomeCountRows(sql, rebuilt.instanceId));
        await engine.stop();
      } finally {
        await Promise.all(children.map((c) => c.kill('SIGTERM')));
        await store.close();
        await sql.close();
        await scratch.drop();
      }
    }, 300_000);
  },
);
