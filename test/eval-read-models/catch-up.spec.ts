import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { catchUpEvalReadModels, evalReadModelsEngine } from '../../src/eval-read-models/catch-up-eval-read-models.js';
import { importResults } from '../../src/ingest/import-results.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('catchUpEvalReadModels', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    await importResults(withCatalogue(db.store), path.resolve(process.cwd(), 'test/fixtures/eval-mini'));
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('projects every stored outcome into the three read models', async () => {
    await catchUpEvalReadModels(db.sql, db.store);
    const { rows } = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM eval_test_history');
    expect(rows[0]!.n).toBe(25); // fixture rows per run, counted by hand: 8 + 4 + 8 + 5
  });

  it('builds a trends instance for a rule set only when it changes the trend rules (GET /trends answers the others from the default one)', async () => {
    const define = (ruleSetId: string, parameters: Record<string, unknown>) =>
      withCatalogue(db.store).appendToStream(`rule-set-${ruleSetId}`, [
        {
          eventId: randomUUID(),
          type: 'RuleSetDefined',
          schemaVersion: 1,
          data: { ruleSetId, name: ruleSetId, parameters },
          metadata: { occurredAt: '2026-03-01T00:00:00Z', source: 'test' },
        },
      ]);
    await define('catch-up-other', { experiments: { window: 2 } });
    await define('catch-up-trends', { trends: { window: 12 } });
    await catchUpEvalReadModels(db.sql, db.store, { trendsRuleSet: 'catch-up-other' });
    await catchUpEvalReadModels(db.sql, db.store, { trendsRuleSet: 'catch-up-trends' });
    const engine = evalReadModelsEngine(db.sql, db.store);
    expect(await engine.currentInstanceId('trends', 'catch-up-other')).toBeNull();
    expect(await engine.currentInstanceId('trends', 'catch-up-trends')).toEqual(expect.any(String));
    await engine.stop();
  }, 60_000);

  it('gives up after its deadline when another process holds a lease (that process keeps the model current)', async () => {
    const engine = evalReadModelsEngine(db.sql, db.store);
    await engine.prepare();
    const id = (await engine.currentInstanceId('trends'))!;
    await db.sql.query(
      `INSERT INTO projection_leases (instance_id, owner, acquired_at, expires_at) VALUES ($1, 'someone-else', now(), now() + interval '1 hour')
       ON CONFLICT (instance_id) DO UPDATE SET owner = 'someone-else', expires_at = now() + interval '1 hour'`,
      [id],
    );
    const started = Date.now();
    await catchUpEvalReadModels(db.sql, db.store, { timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await db.sql.query('DELETE FROM projection_leases WHERE instance_id = $1', [id]);
  }, 30_000);
});
