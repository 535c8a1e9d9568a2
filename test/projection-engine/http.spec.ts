import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { API_TOKENS, READ_AUTH, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { appendOutcomeRuns } from './support/outcome-history.js';
import { outcomeCountRows } from './support/read-model.js';
import type { InstanceStatus } from '../../src/projection-engine/status/status.js';

async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('/projections and /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
  });
  afterAll(async () => t?.close());

  const instances = async (name = 'outcome-counts'): Promise<InstanceStatus[]> =>
    (await request(t.http).get('/projections').query({ name }).expect(200)).body.instances;

  it('runs the projections in the server, shows their status, rebuilds beside the current one, drops the old one', async () => {
    await appendOutcomeRuns(t.store, 'http', 0, 10);
    const live = await eventually(async () => {
      const [first] = await instances();
      return first?.state === 'live' && first.lag?.events === 0 && first;
    }, 'outcome-counts to be live');
    expect(live).toMatchObject({ instanceId: 'outcome-counts.v1.g1', current: true, ruleSetId: null, eventsProcessed: 200 });
    expect(live.position).toEqual({ commit: expect.any(String), prepare: expect.any(String) });
    expect((await request(t.http).get('/projections').expect(200)).body.projections).toContain('outcome-counts');

    await request(t.http).post('/projections/outcome-counts/rebuild').expect(401);
    await request(t.http).post('/projections/outcome-counts/rebuild').set('Authorization', READ_AUTH).expect(403);
    await request(t.http).post('/projections/nope/rebuild').set('Authorization', WRITE_AUTH).expect(404);
    await request(t.http).post('/projections/outcome-counts/rebuild').set('Authorization', WRITE_AUTH).send({ ruleSetId: 'no-such-set' }).expect(400);
    const rebuild = await request(t.http).post('/projections/outcome-counts/rebuild').set('Authorization', WRITE_AUTH).expect(202);
    expect(rebuild.body).toMatchObject({ instanceId: 'outcome-counts.v1.g2', state: 'rebuilding' });

    await eventually(async () => (await instances()).find((i) => i.instanceId === 'outcome-counts.v1.g2' && i.current), 'the switch');
    const after = await instances();
    expect(after.find((i) => i.instanceId === 'outcome-counts.v1.g1')).toMatchObject({ state: 'retired', current: false });
    expect(await outcomeCountRows(t.sql, 'outcome-counts.v1.g2')).toEqual(await outcomeCountRows(t.sql, 'outcome-counts.v1.g1'));

    await request(t.http).delete('/projections/instances/outcome-counts.v1.g2').set('Authorization', WRITE_AUTH).expect(409);
    await request(t.http).delete('/projections/instances/outcome-counts.v1.g1').set('Authorization', WRITE_AUTH).expect(204);
    await request(t.http).delete('/projections/instances/outcome-counts.v1.g1').set('Authorization', WRITE_AUTH).expect(404);
    expect((await instances()).map((i) => i.instanceId)).toEqual(['outcome-counts.v1.g2']);
    await request(t.http).post('/projections/instances/outcome-counts.v1.g2/retry').set('Authorization', WRITE_AUTH).expect(202, { retrying: false });
  });

  it('exposes per-instance lag and rate as Prometheus metrics', async () => {
    const metrics = await request(t.http).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/lessonloop_projection_lag_events\{instance="outcome-counts\.v1\.g2",projection="outcome-counts",rule_set="",current="true"\} 0/);
    expect(metrics.text).toMatch(/lessonloop_projection_events_per_second\{instance="outcome-counts\.v1\.g2"/);
    expect(metrics.text).toMatch(/lessonloop_projection_lag_seconds\{/);
    expect(metrics.text).toMatch(/lessonloop_projection_state\{instance="outcome-counts\.v1\.g2",.*state="live"\} 1/);
    expect(metrics.text).toMatch(/process_resident_memory_bytes/);
  });
});
