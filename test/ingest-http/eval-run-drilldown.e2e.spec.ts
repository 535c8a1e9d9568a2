/** GET /eval-runs/:id/outcomes and GET /eval-runs/:a/diff/:b: a run's outcomes by model and test, two runs paired, paged. */
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { API_TOKENS, eventually, WRITE_AUTH } from './http-test-support.js';

const outcome = (model: string, test: string, passed: boolean, extra: Record<string, unknown> = {}) => ({ model, toolFormat: 'markdown', test, passed, ...extra });
const slow = { totalDuration: 30, generationTime: 25, runTime: 4, evalTime: 1 };
const infra = { totalDuration: 1, generationTime: 1, runTime: 0, evalTime: 0, tokensInput: 0, tokensOutput: 0, tokensTotal: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };
const tokens = (n: number) => ({ tokensInput: n - 10, tokensOutput: 10, tokensTotal: n, cacheReadTokens: 0, cacheCreationTokens: 0, costUsd: n / 1e6 });

const RUN_A = { runId: 'drill-a', startedAt: '2026-05-01T00:00:00Z', outcomes: [
  outcome('m/one', 'stays-green', true, { ...slow, ...tokens(100) }), outcome('m/one', 'breaks', true, { ...slow, logDir: '/logs/a/breaks' }),
  outcome('m/one', 'heals', false, slow), outcome('m/two', 'gone', true, slow), outcome('m/two', 'flaky-infra', true, slow),
] };
const RUN_B = { runId: 'drill-b', startedAt: '2026-05-02T00:00:00Z', outcomes: [
  outcome('m/one', 'stays-green', true, { ...slow, ...tokens(300), cases: [{ name: 'c1', passed: true, durationS: 1 }] }),
  outcome('m/one', 'breaks', false, { ...slow, logDir: '/logs/b/breaks' }), outcome('m/one', 'heals', true, slow),
  outcome('m/two', 'flaky-infra', false, infra), outcome('m/two', 'new', true, slow),
] };

describe('run outcomes and run diff over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_RUN_PROJECTIONS: 'always' } });
    for (const run of [RUN_A, RUN_B]) await request(t.http).post('/eval-runs').set('Authorization', WRITE_AUTH).send(run).expect(201);
    await eventually(() => request(t.http).get('/eval-runs/drill-b').expect(200));
  });
  afterAll(async () => t?.close());

  it('outcomes: by model and test, each pass/fail/infra, per-model totals, filtered and paged', async () => {
    const all = (await request(t.http).get('/eval-runs/drill-b/outcomes').expect(200)).body;
    expect(all.run).toMatchObject({ runId: 'drill-b', counts: { outcomes: 5 } });
    expect(all.items.map((o: { model: string; test: string; result: string }) => [o.model, o.test, o.result])).toEqual([
      ['m/one', 'breaks', 'fail'], ['m/one', 'heals', 'pass'], ['m/one', 'stays-green', 'pass'], ['m/two', 'flaky-infra', 'infra'], ['m/two', 'new', 'pass'],
    ]);
    expect(all).toMatchObject({ total: 5, offset: 0, limit: 100, counts: { pass: 3, fail: 1, infra: 1 } });
    expect(all.byModel).toEqual([
      { model: 'm/one', format: 'markdown', pass: 2, fail: 1, infra: 0, tokens: 300, costUsd: 0.0003, durationS: 90 },
      { model: 'm/two', format: 'markdown', pass: 1, fail: 0, infra: 1, tokens: 0, costUsd: 0, durationS: 31 },
    ]);
    expect(all.items[2].cases).toEqual([{ name: 'c1', passed: true, durationS: 1 }]);
    const page = (await request(t.http).get('/eval-runs/drill-b/outcomes').query({ limit: 2, offset: 2 }).expect(200)).body;
    expect(page.items.map((o: { test: string }) => o.test)).toEqual(['stays-green', 'flaky-infra']);
    const fails = (await request(t.http).get('/eval-runs/drill-b/outcomes').query({ model: 'm/one', result: 'fail' }).expect(200)).body;
    expect(fails.items.map((o: { test: string; logDir: string }) => [o.test, o.logDir])).toEqual([['breaks', '/logs/b/breaks']]);
    const bad = await request(t.http).get('/eval-runs/drill-b/outcomes').query({ result: 'maybe', limt: 3 }).expect(400);
    expect(bad.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['limt', 'result']);
    await request(t.http).get('/eval-runs/nope/outcomes').expect(404);
  });

  it('diff: paired by model, format, test and repeat; new failures first, then new passes; counts over every match', async () => {
    const diff = (await request(t.http).get('/eval-runs/drill-a/diff/drill-b').expect(200)).body;
    expect(diff.items.map((i: { change: string; test: string }) => [i.change, i.test])).toEqual([
      ['new-failure', 'breaks'], ['new-pass', 'heals'], ['new-infra', 'flaky-infra'], ['only-a', 'gone'], ['only-b', 'new'], ['unchanged', 'stays-green'],
    ]);
    expect(diff.counts).toEqual({ 'new-failure': 1, 'new-pass': 1, 'new-infra': 1, 'only-a': 1, 'only-b': 1, unchanged: 1 });
    expect([diff.a.runId, diff.b.runId]).toEqual(['drill-a', 'drill-b']);
    const broke = diff.items[0];
    expect([broke.a.result, broke.a.logDir, broke.b.result, broke.b.logDir]).toEqual(['pass', '/logs/a/breaks', 'fail', '/logs/b/breaks']);
    const run = (await request(t.http).get('/eval-runs/drill-b').expect(200)).body;
    expect(broke.b.eventId).toBe(run.outcomes.find((o: { test: string }) => o.test === 'breaks').eventId);
    expect(diff.items[5]).toMatchObject({ a: { tokens: 100 }, b: { tokens: 300 } });
    const passes = (await request(t.http).get('/eval-runs/drill-a/diff/drill-b').query({ change: 'new-pass' }).expect(200)).body;
    expect(passes).toMatchObject({ total: 1, items: [{ test: 'heals' }] });
    const paged = (await request(t.http).get('/eval-runs/drill-a/diff/drill-b').query({ model: 'm/two', limit: 1, offset: 1 }).expect(200)).body;
    expect(paged).toMatchObject({ total: 3, items: [{ test: 'gone' }] });
    await request(t.http).get('/eval-runs/drill-a/diff/nope').expect(404);
    await request(t.http).get('/eval-runs/drill-a/diff/drill-b').query({ change: 'worse' }).expect(400);
  });
});
