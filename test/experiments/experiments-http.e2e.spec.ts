import request from 'supertest';
import { appendWorld } from '../../bench/reanalyze/append-world.js';
import { plantedWorld } from '../../bench/reanalyze/planted-world.js';
import { catchUpExperimentInputs } from '../../src/experiments/experiment-inputs.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { API_TOKENS, WRITE_AUTH } from '../ingest-http/http-test-support.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

// Three lesson changes 150 h apart: isolated; a model-API change 48 h later (isolated at 24 h, confounded at 72 h);
// a model-API change 6 h later (confounded under both).
const world = plantedWorld({
  seed: 3,
  models: 2,
  testsPerLesson: 2,
  controlTests: 3,
  flakyTests: 1,
  runEveryHours: 6,
  slotGapHours: 150,
  slots: [
    { action: 'create', lesson: 0, effect: 0.3 },
    { action: 'create', lesson: 1, effect: 0.3, modelApiAt: { hours: 48, model: 0, shift: 0.1 } },
    { action: 'create', lesson: 2, effect: -0.3, modelApiAt: { hours: 6, model: 1, shift: -0.1 } },
  ],
  windows: [24, 72],
});
const [isolated, flips, overlapping] = world.truth.lessonChanges;

describe('experiments over HTTP (planted world in the store)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    await appendWorld(t.store, world.events);
    await catchUpExperimentInputs(t.sql, t.store);
  });
  afterAll(async () => t?.close());

  it('GET /experiments under the default rules: isolated, and confounded with the right confounder', async () => {
    const res = await request(t.http).get('/experiments').expect(200);
    expect(res.body.ruleSetId).toBe('default');
    expect(res.body.rules.confoundWindowHours).toBe(24);
    const byId = new Map<string, { status: string; confounders: { changeId: string }[] }>(
      res.body.items.map((e: { changeId: string }) => [e.changeId, e]),
    );
    expect(byId.get(isolated!.changeId)!.status).toBe('isolated');
    expect(byId.get(flips!.changeId)!.status).toBe('isolated');
    expect(byId.get(overlapping!.changeId)!.status).toBe('confounded');
    expect(byId.get(overlapping!.changeId)!.confounders.map((c) => c.changeId)).toEqual(['planted-model-api-2']);
    const filtered = await request(t.http).get('/experiments').query({ status: 'confounded' }).expect(200);
    expect(filtered.body.items.map((e: { changeId: string }) => e.changeId)).toEqual([overlapping!.changeId]);
  });

  it('GET /experiments pages and sorts on the server; bad sort keys and numbers are 400 naming the field', async () => {
    const all = await request(t.http).get('/experiments').expect(200);
    expect(all.body).toMatchObject({ total: 3, offset: 0, limit: 100, counts: { isolated: 2, confounded: 1 } });
    expect(all.body.items.map((e: { changeId: string }) => e.changeId)).toEqual([isolated!.changeId, flips!.changeId, overlapping!.changeId]);

    const newestFirst = await request(t.http).get('/experiments').query({ sort: 'at', order: 'desc', limit: 2, offset: 0 }).expect(200);
    expect(newestFirst.body).toMatchObject({ total: 3, offset: 0, limit: 2 });
    expect(newestFirst.body.items.map((e: { changeId: string }) => e.changeId)).toEqual([overlapping!.changeId, flips!.changeId]);
    const second = await request(t.http).get('/experiments').query({ sort: 'at', order: 'desc', limit: 2, offset: 2 }).expect(200);
    expect(second.body.items.map((e: { changeId: string }) => e.changeId)).toEqual([isolated!.changeId]);

    // Descending by status (string order: isolated > insufficient-data > confounded); ties by event time.
    const byStatus = await request(t.http).get('/experiments').query({ sort: 'status', order: 'desc' }).expect(200);
    expect(byStatus.body.items.map((e: { status: string }) => e.status)).toEqual(['isolated', 'isolated', 'confounded']);
    // Effect ascending: the confounded one has no estimate and comes last.
    const byEffect = await request(t.http).get('/experiments').query({ sort: 'effect' }).expect(200);
    const effects = byEffect.body.items.map((e: { overall?: { effect: number } }) => e.overall?.effect ?? null);
    expect(effects[2]).toBeNull();
    expect(effects[0]).toBeLessThanOrEqual(effects[1]);

    // Event-time window: from inclusive at the second change, to exclusive at the third.
    const window = await request(t.http).get('/experiments').query({ from: flips!.at, to: overlapping!.at }).expect(200);
    expect(window.body.items.map((e: { changeId: string }) => e.changeId)).toEqual([flips!.changeId]);
    const byLesson = await request(t.http).get('/experiments').query({ lesson: isolated!.lessonId }).expect(200);
    expect(byLesson.body.total).toBe(1);

    const badSort = await request(t.http).get('/experiments').query({ sort: 'colour' }).expect(400);
    expect(badSort.body.problems).toEqual([{ field: 'sort', reason: expect.stringContaining('must be one of at, status, lesson, effect') }]);
    const badLimit = await request(t.http).get('/experiments').query({ limit: 501 }).expect(400);
    expect(badLimit.body.problems.map((p: { field: string }) => p.field)).toEqual(['limit']);
    const badOffset = await request(t.http).get('/experiments').query({ offset: 'x' }).expect(400);
    expect(badOffset.body.problems.map((p: { field: string }) => p.field)).toEqual(['offset']);
    const badOrder = await request(t.http).get('/experiments').query({ order: 'up' }).expect(400);
    expect(badOrder.body.problems).toEqual([{ field: 'order', reason: 'must be asc or desc' }]);
    const unknown = await request(t.http).get('/experiments').query({ colour: 'red' }).expect(400);
    expect(unknown.body.problems).toEqual([{ field: 'colour', reason: 'unknown query parameter' }]);
  });

  it('POST /rule-sets (72 h) builds beside the defaults; compare lists exactly the flipped change and why; rule sets are immutable', async () => {
    const created = await request(t.http)
      .post('/rule-sets')
      .set('Authorization', WRITE_AUTH)
      .send({ ruleSetId: 'wide-72', name: 'wide confound window', parameters: { confoundWindowHours: 72 } })
      .expect(201);
    expect(created.body.ruleSet.ruleSetId).toBe('wide-72');
    // Only experiment parameters change: no projection is rebuilt from the events.
    expect(created.body.instances).toEqual([]);
    await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH).send({ ruleSetId: 'wide-72', name: 'again', parameters: { confoundWindowHours: 48 } }).expect(409);
    await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH).send({ name: 'bad', parameters: { confoundWindowHours: -3 } }).expect(400);

    const one = await request(t.http).get(`/experiments/${flips!.changeId}`).query({ ruleSet: 'wide-72' }).expect(200);
    expect(one.body.experiment.status).toBe('confounded');
    expect(one.body.experiment.confounders[0]).toMatchObject({ changeId: 'planted-model-api-1', kind: 'model-api', hoursFromChange: 48 });

    const compare = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72' }).expect(200);
    const switched = compare.body.items.filter((d: { statusChanged: boolean }) => d.statusChanged);
    expect(switched.map((d: { changeId: string }) => d.changeId)).toEqual([flips!.changeId]);
    expect(switched[0].reason).toContain('isolated -> confounded');
    expect(switched[0].reason).toContain('confounder entered: model-api sim/model-a0');

    expect(compare.body).toMatchObject({ total: compare.body.items.length, offset: 0, limit: 100 });
    const paged = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72', status: 'confounded', sort: 'lesson', order: 'desc', limit: 1 }).expect(200);
    expect(paged.body.items.map((d: { changeId: string }) => d.changeId)).toEqual([flips!.changeId]);
    expect(paged.body.summary.statusChanged).toBe(1);
    const noB = await request(t.http).get('/analyses/compare').query({ a: 'default' }).expect(400);
    expect(noB.body.problems.map((p: { field: string }) => p.field)).toEqual(['b']);
    const badSort = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72', sort: 'p' }).expect(400);
    expect(badSort.body.problems.map((p: { field: string }) => p.field)).toEqual(['sort']);
    await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'nope' }).expect(404);

    await request(t.http).get('/experiments').query({ ruleSet: 'nope' }).expect(404);
    await request(t.http).get('/experiments/not-a-change').expect(404);
  });
});
