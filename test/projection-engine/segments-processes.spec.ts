/**
 * Segments shared by projector child processes on PostgreSQL (helpers: support/projector-fleet.ts):
 * - two processes rebuild test-history (20,000 events) together (each projects segments) and their rows equal those of a
 *   rebuild by one process (checksums over every row);
 * - kill -9 of a segment holder while it rebuilds, 10 times over a 20,000-event history: another process holds
 *   each of its segments within 3 s, and the rows (counters: segmented outcome-counts) equal a fold of the log.
 */
import { comparePositions, type Position } from '../../contracts/envelope.js';
import { testHistory } from '../../projections/eval/test-history.js';
import { given } from '../../projections/machinery/testing.js';
import type { SqlExecutor } from '../../src/database/sql-client.js';
import { findInstance } from '../../src/projection-engine/instances/instances.js';
import { DEFAULT_PROCESSOR_OPTIONS } from '../../src/projection-engine/processing/processor-options.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { ensureCompiled } from '../support/compiled.js';
import type { RunningProjector } from './support/child-projector.js';
import { batchesOf, describeFleet, isAlive, setUpFleet, tearDownFleet, unitHolders, type Fleet } from './support/projector-fleet.js';
import { normaliseRows, outcomeCountRows, readEverything } from './support/read-model.js';
import { segmentedOutcomeCounts } from './support/segmented-outcome-counts.js';

const databaseUrl = process.env.DATABASE_URL?.trim();
const processor = { ...DEFAULT_PROCESSOR_OPTIONS, batchSize: 40, readBatchSize: 200, pollIntervalMs: 100 };
const TAKEOVER_MS = 3_000;

async function atHead(f: Fleet, instanceId: string, head: Position, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const instance = await findInstance(f.sql, instanceId);
    if (instance && instance.phase === 'live' && comparePositions(instance.checkpoint, head) === 0) return;
    if (Date.now() > deadline) throw new Error(`${instanceId} not at the head in ${timeoutMs} ms\n${describeFleet(f)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** md5 over every row of the instance (without instance_id), in event id order. */
async function historyChecksum(db: SqlExecutor, instanceId: string): Promise<{ rows: number; md5: string }> {
  const { rows } = await db.query<{ rows: string; md5: string }>(
    `SELECT COUNT(*) AS rows, md5(string_agg((to_jsonb(h) - 'instance_id')::text, '|' ORDER BY h.event_id)) AS md5
       FROM eval_test_history h WHERE instance_id = $1`,
    [instanceId],
  );
  return { rows: Number(rows[0]!.rows), md5: rows[0]!.md5 };
}

(databaseUrl ? describe : describe.skip)(
  `segments shared by processes on PostgreSQL${databaseUrl ? '' : ' (not run: DATABASE_URL is not set)'}`,
  () => {
    beforeAll(async () => ensureCompiled(), 300_000);

    it('two processes rebuild test-history together; the rows equal a one-process rebuild (checksums)', async () => {
      // 20,000 events: with 5,000 the process that started first finished every segment before the other took one.
      const f = await setUpFleet(databaseUrl!, 1000, 'test-history.v1.g1', { ...processor, batchSize: 500 }, 'test-history');
      try {
        const events = await readEverything(f.store);
        const [a, b] = [f.spawn(), f.spawn()];
        await atHead(f, 'test-history.v1.g1', events.at(-1)!.position, 120_000);
        // Both did part of the work, on segments of their own.
        expect(batchesOf(a)).toBeGreaterThan(0);
        expect(batchesOf(b)).toBeGreaterThan(0);
        const holders = unitHolders([a, b]);
        expect(new Set(holders.values()).size).toBe(2);
        await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);

        const engine = new ProjectionEngine({ sql: f.sql, store: f.store, projections: [testHistory], options: { processor } });
        const alone = await engine.rebuild('test-history');
        await engine.run(alone.instanceId).whenCaughtUp();
        await engine.stop();
        expect(await engine.currentInstanceId('test-history')).toBe(alone.instanceId);
        const [shared, single] = [await historyChecksum(f.sql, 'test-history.v1.g1'), await historyChecksum(f.sql, alone.instanceId)];
        console.log(`test-history rebuilt by 2 processes: ${JSON.stringify(shared)}; by 1: ${JSON.stringify(single)}`);
        expect(shared).toEqual(single);
        expect(shared.rows).toBe(events.length);
        const { rows } = await f.sql.query<{ event_id: string }>('SELECT event_id FROM eval_test_history WHERE instance_id = $1', [alone.instanceId]);
        expect(rows.map((r) => r.event_id).sort()).toEqual(given(testHistory, events).rows('eval_test_history').map((r) => r.event_id).sort());
      } finally {
        await tearDownFleet(f);
      }
    }, 300_000);

    it('after kill -9 of a segment holder, 10 times mid-rebuild, others hold its segments within 3 s; rows equal a fold', async () => {
      const INSTANCE = 'outcome-counts.v1.g1';
      const f = await setUpFleet(databaseUrl!, 1000, INSTANCE, processor, 'outcome-counts-segmented'); // 20,000 events
      const takeovers: number[] = [];
      const caughtUp = (unit: string) => f.children.some((c) => c.messages.some((m) => m.type === 'caught-up' && m.unit === unit));
      try {
        f.spawn();
        f.spawn();
        for (let round = 0; round < 10; round++) {
          // The victim: a live child holding a segment still rebuilding, with a batch committed since it took it.
          let victim: RunningProjector | undefined;
          let units: string[] = [];
          const deadline = Date.now() + 30_000;
          while (!victim) {
            if (Date.now() > deadline) throw new Error(`round ${round}: no segment holder mid-rebuild\n${describeFleet(f)}`);
            const holders = [...unitHolders(f.children)].filter(([, c]) => isAlive(c));
            for (const child of f.children.filter(isAlive)) {
              const held = holders.filter(([, c]) => c === child).map(([unit]) => unit);
              const since = Math.max(...child.messages.filter((m) => m.type === 'lease').map((m) => m.receivedAt));
              const committed = child.messages.some((m) => m.type === 'batch' && m.receivedAt > since);
              if (held.some((u) => !caughtUp(u)) && committed) [victim, units] = [child, held];
            }
            if (!victim) await new Promise((r) => setTimeout(r, 20));
          }
          await victim.kill('SIGKILL');
          const killedAt = Date.now();
          for (const unit of units) {
            const took = await Promise.race([
              new Promise<number>((resolve) => {
                const poll = setInterval(() => {
                  const lease = f.children
                    .filter((c) => c !== victim)
                    .flatMap((c) => c.messages)
                    .find((m) => m.type === 'lease' && m.unit === unit && m.receivedAt > killedAt);
                  if (lease) {
                    clearInterval(poll);
                    resolve(lease.receivedAt - killedAt);
                  }
                }, 10);
              }),
              new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 30_000)),
            ]);
            if (took === Infinity) throw new Error(`round ${round}: nobody took ${unit}\n${describeFleet(f)}`);
            takeovers.push(took);
          }
          f.spawn(); // the next round's extra process, started once this round's takeovers are measured
          await f.children.at(-1)!.waitFor('ready', 30_000);
        }
        const events = await readEverything(f.store);
        await atHead(f, INSTANCE, events.at(-1)!.position, 180_000);
        expect(await outcomeCountRows(f.sql, INSTANCE)).toEqual(normaliseRows(given(segmentedOutcomeCounts, events).rows('outcome_counts')));
        console.log(`segment takeovers after kill -9 (ms): ${takeovers.join(', ')}`);
        expect(takeovers.length).toBeGreaterThanOrEqual(10);
        expect(Math.max(...takeovers)).toBeLessThan(TAKEOVER_MS);
      } finally {
        await tearDownFleet(f);
      }
    }, 400_000);
  },
);
