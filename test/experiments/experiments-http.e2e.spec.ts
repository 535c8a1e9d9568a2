import request from 'supertest';
import { appendWorld } from '../../bench/reanalyze/append-world.js';
import { plantedWorld } from '../../bench/reanalyze/planted-world.js';
import { catchUpExperimentInputs } from '../../src/experiments/experiment-inputs.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { API_TOKENS, WRITE_AUTH } from '../ingest-http/http-test-support.js';

import { jest } from '@jest/globals';
import { waitUntilReadable } from './wait-readable.js';

jest.setTimeout(120_000);

// Four lesson changes 150 h apart: isolated; a harness bump (a commit on both models' runs) 53.5 h later (isolated
// at 24 h, confounded at 72 h); a harness bump 5.5 h later (confounded under both); a model-API change of model b0
// 6 h later (confounded; b0 confounded, a0 clean and estimated).
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
    { action: 'create', lesson: 1, effect: 0.3, harnessBumpAt: 48 },
    { action: 'create', lesson: 2, effect: -0.3, harnessBumpAt: 5 },
    { action: 'create', lesson: 3, effect: 0.3, modelApiAt: { hours: 6, model: 1, shift: -0.1 } },
  ],
  windows: [24, 72],
});
const [isolated, flips, overlapping, partly] = world.truth.lessonChanges;
const ids = (items: { changeId: string }[]) => items.map((e) => e.changeId);

describe('experiments over HTTP (planted world in the store)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    await appendWorld(t.store, world.events);
    await waitUntilReadable(t.sql, t.store);
    await catchUpExperimentInputs(t.sql, t.store);
  });
  afterAll(async () => t?.close());

  it('GET /experiments under the default rules: isolated, and confounded with the right confounder', async () => {
    const res = await request(t.http).get('/experiments').expect(200);
    expect(res.body.ruleSetId).toBe('default');
    expect(res.body.rules.confoundWindowHours).toBe(24);
    const byId = new Map<string, { status: string; confounders: { changeId: string }[]; models: Record<string, { status: string }> }>(
      res.body.items.map((e: { changeId: string }) => [e.changeId, e]),
    );
    expect(byId.get(isolated!.changeId)!.status).toBe('isolated');
    expect(byId.get(flips!.changeId)!.status).toBe('isolated');
    expect(byId.get(overlapping!.changeId)!.status).toBe('confounded');
    expect(overlapping!.confoundersWithin[24]).toHaveLength(2);
    expect(byId.get(overlapping!.changeId)!.confounders.map((c) => c.changeId).sort()).toEqual(overlapping!.confoundersWithin[24]);
    expect(byId.get(partly!.changeId)!.status).toBe('confounded');
    expect(byId.get(partly!.changeId)!.models).toEqual({
      'sim/model-a0': { status: 'isolated', confounders: [] },
      'sim/model-b0': { status: 'confounded', confounders: ['planted-model-api-3'] },
    });
    const filtered = await request(t.http).get('/experiments').query({ status: 'confounded' }).expect(200);
    expect(ids(filtered.body.items)).toEqual([overlapping!.changeId, partly!.changeId]);
    // One model: its detail only; every experiment has outcomes of b0 in its windows.
    const b0 = await request(t.http).get('/experiments').query({ model: 'sim/model-b0', lesson: partly!.lessonId }).expect(200);
    expect(b0.body.items[0].models).toEqual({ 'sim/model-b0': { status: 'confounded', confounders: ['planted-model-api-3'] } });
    expect(b0.body.items[0].perModel).toEqual({});
  });

  it('GET /experiments pages and sorts on the server; bad sort keys and numbers are 400 naming the field', async () => {
    const all = await request(t.http).get('/experiments').expect(200);
    expect(all.body).toMatchObject({ total: 4, offset: 0, limit: 100, counts: { isolated: 2, confounded: 2 } });
    expect(ids(all.body.items)).toEqual([isolated!.changeId, flips!.changeId, overlapping!.changeId, partly!.changeId]);

    const newestFirst = await request(t.http).get('/experiments').query({ sort: 'at', order: 'desc', limit: 3, offset: 0 }).expect(200);
    expect(newestFirst.body).toMatchObject({ total: 4, offset: 0, limit: 3 });
    expect(ids(newestFirst.body.items)).toEqual([partly!.changeId, overlapping!.changeId, flips!.changeId]);
    const second = await request(t.http).get('/experiments').query({ sort: 'at', order: 'desc', limit: 3, offset: 3 }).expect(200);
    expect(ids(second.body.items)).toEqual([isolated!.changeId]);

    // Descending by status (string order: isolated > insufficient-data > confounded); ties by event time.
    const byStatus = await request(t.http).get('/experiments').query({ sort: 'status', order: 'desc' }).expect(200);
    expect(ids(byStatus.body.items)).toEqual([isolated!.changeId, flips!.changeId, overlapping!.changeId, partly!.changeId]);
    // Effect: the one confounded on every model has no estimate and comes last, in either order.
    for (const order of ['asc', 'desc']) {
      const byEffect = await request(t.http).get('/experiments').query({ sort: 'effect', order }).expect(200);
      const effects: (number | null)[] = byEffect.body.items.map((e: { overall?: { effect: number } }) => e.overall?.effect ?? null);
      expect(effects[3]).toBeNull();
      const known = effects.slice(0, 3) as number[];
      expect(known).toEqual([...known].sort((x, y) => (order === 'asc' ? x - y : y - x)));
    }

    // Event-time window: from inclusive at the second change, to exclusive at the third.
    const window = await request(t.http).get('/experiments').query({ from: flips!.at, to: overlapping!.at }).expect(200);
    expect(ids(window.body.items)).toEqual([flips!.changeId]);
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

  it("GET /experiments?model= filters, counts and sorts by that model's status and estimate", async () => {
    // a0 is clean in the fourth change (b0's model-API change touches b0 only): isolated for a0.
    const a0 = await request(t.http).get('/experiments').query({ model: 'sim/model-a0', status: 'isolated' }).expect(200);
    expect(ids(a0.body.items)).toEqual([isolated!.changeId, flips!.changeId, partly!.changeId]);
    expect(a0.body.counts).toEqual({ isolated: 3 });
    const a0All = await request(t.http).get('/experiments').query({ model: 'sim/model-a0' }).expect(200);
    expect(a0All.body.counts).toEqual({ isolated: 3, confounded: 1 });
    const b0 = await request(t.http).get('/experiments').query({ model: 'sim/model-b0', status: 'confounded' }).expect(200);
    expect(ids(b0.body.items)).toEqual([overlapping!.changeId, partly!.changeId]);
    expect(b0.body.counts).toEqual({ confounded: 2 });
    // Sorted by a0's own effect, not the sum over the clean models.
    const byEffect = await request(t.http).get('/experiments').query({ model: 'sim/model-a0', sort: 'effect', order: 'desc' }).expect(200);
    const own: (number | null)[] = byEffect.body.items.map((e: { perModel?: Record<string, { effect: number }> }) => e.perModel?.['sim/model-a0']?.effect ?? null);
    expect(own[3]).toBeNull();
    expect(own.slice(0, 3)).toEqual([...(own.slice(0, 3) as number[])].sort((x, y) => y - x));
  });

  it('documents every query parameter of both lists in OpenAPI, with the sort keys', async () => {
    type Parameter = { name: string; schema?: { enum?: string[] } };
    const doc = (await request(t.http).get('/docs-json').expect(200)).body as { paths: Record<string, { get: { parameters: Parameter[] } }> };
    const params = (route: string) => doc.paths[route]!.get.parameters;
    expect(params('/experiments').map((p) => p.name).sort()).toEqual(['from', 'lesson', 'limit', 'model', 'offset', 'order', 'ruleSet', 'sort', 'status', 'to']);
    expect(params('/analyses/compare').map((p) => p.name).sort()).toEqual(['a', 'b', 'from', 'lesson', 'limit', 'model', 'offset', 'order', 'sort', 'status', 'to']);
    expect(params('/experiments').find((p) => p.name === 'sort')!.schema!.enum).toEqual(['at', 'status', 'lesson', 'effect', 'p', 'q', 'confounders', 'change']);
    expect(params('/analyses/compare').find((p) => p.name === 'sort')!.schema!.enum).toEqual(['at', 'lesson', 'status', 'effect', 'effectChange', 'change']);
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
    expect(one.body.experiment.confounders.map((c: { kind: string; model: string; hoursFromChange: number }) => [c.kind, c.model, c.hoursFromChange])).toEqual([
      ['harness-commit', 'sim/model-a0', 53.5],
      ['harness-commit', 'sim/model-b0', 53.5],
    ]);

    const compare = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72' }).expect(200);
    const switched = compare.body.items.filter((d: { statusChanged: boolean }) => d.statusChanged);
    expect(ids(switched)).toEqual([flips!.changeId]);
    expect(switched[0].reason).toContain('isolated -> confounded');
    expect([switched[0].lessonId, switched[0].lessonTitle]).toEqual([flips!.lessonId, `Lesson ${flips!.lessonId}`]);
    expect(switched[0].reason).toContain('confounder entered: harness-commit sim/model-a0');
    expect(switched[0].models.map((m: { model: string; statusB: string }) => [m.model, m.statusB])).toEqual([['sim/model-a0', 'confounded'], ['sim/model-b0', 'confounded']]);

    expect(compare.body).toMatchObject({ total: compare.body.items.length, offset: 0, limit: 100 });
    const paged = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72', status: 'confounded', sort: 'lesson', order: 'desc', limit: 1 }).expect(200);
    expect(ids(paged.body.items)).toEqual([flips!.changeId]);
    expect(paged.body.summary.statusChanged).toBe(1);
    const b0 = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72', model: 'sim/model-b0' }).expect(200);
    expect(ids(b0.body.items)).toEqual([flips!.changeId]);
    expect(b0.body.items[0].models).toEqual([{ model: 'sim/model-b0', statusA: 'isolated', statusB: 'confounded', confoundersEntered: [expect.stringContaining('harness-commit:sim/model-b0:')], confoundersLeft: [] }]);
    const unknownModel = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72', model: 'nobody' }).expect(200);
    expect(unknownModel.body).toMatchObject({ items: [], total: 0 });
    const noB = await request(t.http).get('/analyses/compare').query({ a: 'default' }).expect(400);
    expect(noB.body.problems.map((p: { field: string }) => p.field)).toEqual(['b']);
    const badSort = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72', sort: 'p' }).expect(400);
    expect(badSort.body.problems.map((p: { field: string }) => p.field)).toEqual(['sort']);
    await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'nope' }).expect(404);

    await request(t.http).get('/experiments').query({ ruleSet: 'nope' }).expect(404);
    await request(t.http).get('/experiments/not-a-change').expect(404);
  });

  it('GET /experiments/:changeId/series: each clean model\'s hours sum to its window estimate; lessons carry their titles', async () => {
    const list = await request(t.http).get('/experiments').expect(200);
    for (const e of list.body.items as { lessonId: string; lessonTitle: string }[]) expect(e.lessonTitle).toBe(`Lesson ${e.lessonId}`);
    const one = (await request(t.http).get(`/experiments/${partly!.changeId}`).expect(200)).body.experiment;
    const series = (await request(t.http).get(`/experiments/${partly!.changeId}/series`).expect(200)).body;
    expect(series).toMatchObject({ changeId: partly!.changeId, lessonTitle: `Lesson ${partly!.lessonId}`, status: 'confounded', windowHours: 72 });
    expect(series.confounders.map((c: { changeId: string }) => c.changeId)).toEqual(one.confounders.map((c: { changeId: string }) => c.changeId));
    const at = Date.parse(one.at);
    expect(Date.parse(series.before.to)).toBeLessThanOrEqual(at);
    expect(Date.parse(series.after.from)).toBeGreaterThan(at);
    type Counts = { passed: number; failed: number };
    type Point = { offset: number; affected: Counts; control: Counts };
    const sum = (points: Point[], side: 'affected' | 'control', after: boolean): Counts => points
      .filter((p) => (after ? p.offset > 0 : p.offset < 0))
      .reduce((c, p) => ({ passed: c.passed + p[side].passed, failed: c.failed + p[side].failed }), { passed: 0, failed: 0 });
    expect(Object.keys(one.perModel)).toEqual(['sim/model-a0']);
    const a0 = series.models.find((m: { model: string }) => m.model === 'sim/model-a0');
    expect(a0.status).toBe('isolated');
    const estimate = one.perModel['sim/model-a0'];
    expect([sum(a0.points, 'affected', false), sum(a0.points, 'affected', true), sum(a0.points, 'control', false), sum(a0.points, 'control', true)])
      .toEqual([estimate.affectedBefore, estimate.affectedAfter, estimate.controlBefore, estimate.controlAfter]);
    expect(series.models.map((m: { model: string; status: string }) => [m.model, m.status])).toEqual([['sim/model-a0', 'isolated'], ['sim/model-b0', 'confounded']]);
    await request(t.http).get('/experiments/not-a-change/series').expect(404);
  });
});
