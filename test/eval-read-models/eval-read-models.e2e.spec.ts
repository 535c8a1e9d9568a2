/**
 * The eval read models through HTTP on the test database, fed from test/fixtures/eval-mini (see its README).
 * Expected values are worked out by hand from gptme's rules (PROVENANCE.md):
 *  - gptme pairs: (m/a, tool) from `m/a@tool` (run 1) and `m/a` + Tool Format `tool` (runs 2-4) is ONE pair;
 *    latest (run 4) P F P F = 2/4. (x/glm, z-ai): gptme splits any last @; run 1 P P P F = 3/4.
 *    (m/c, default): run 3 P P P F, then run 4 t1 F (a suspected infra error, still a fail for gptme) = 2/4.
 *    Wilson z=1: 3/4 = 0.5, 2/4 = 0.2763932; m/a and m/c tie (score and tests): m/a was seen first.
 *  - gptme trends: m/a@tool t1 P P P P stable pass; t2 P P F F (0.5), t3 F P P P (0.75), t4 F P P F (0.5) flaky
 *    (4 runs, between 0.1 and 0.9); m/c t1 P F regression (0.5, 2 runs).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import type { StatisticalTrendEntry } from '../../projections/eval/trends-statistical.js';
import { stratifiedDropTest } from '../../projections/stats/stratified-drop.js';
import { evalRunStreamId, buildEvalRunEvents } from '../../src/ingest/eval-run-events.js';
import { readRunFolder } from '../../src/ingest/gptme/read-run-folder.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { catchUpEvalReadModels, evalReadModelsEngine } from '../../src/eval-read-models/catch-up-eval-read-models.js';
import { EVAL_READ_MODEL_PROJECTIONS } from '../../src/eval-read-models/eval-read-model-projections.js';
import { STATE_TTL_MS } from '../../src/eval-read-models/read-model/eval-read-state.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const FIXTURE = path.resolve(process.cwd(), 'test/fixtures/eval-mini');
const RUNS = ['20260101_000000Z', '20260102_000000Z', '20260103_000000Z', '20260104_000000Z'];

async function appendRun(t: TestApp, runId: string): Promise<void> {
  const run = await readRunFolder(path.join(FIXTURE, runId));
  const append = buildEvalRunEvents(run);
  expect(append.streamId).toBe(evalRunStreamId(runId));
  await withCatalogue(t.store).appendMany([append]);
}

const get = async (t: TestApp, url: string) => {
  const res = await request(t.http).get(url);
  expect(res.status).toBe(200);
  return res.body;
};

/** Every answer the module gives for the fixture, for comparing two builds of the read models. */
async function allAnswers(t: TestApp) {
  return {
    gptmeLeaderboard: await get(t, '/leaderboard?mode=gptme'),
    leaderboard: await get(t, '/leaderboard?k=1'),
    asOf: await get(t, '/leaderboard?asOf=2026-01-03T00:00:00Z'),
    gptmeTrends: await get(t, '/trends?rules=gptme'),
    last2: await get(t, '/trends?rules=gptme&last=2'),
    diff: await get(t, '/trends?rules=gptme&diff=true'),
    statistical: await get(t, '/trends'),
    pooled: await get(t, '/trends/pooled'),
    history: await get(t, '/models/m%2Fa/tests/t2/history'),
  };
}

describe('eval read models over HTTP (e2e, hand-worked fixture)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    // Incrementally: the read models catch up after every run, as they would while runs arrive.
    for (const runId of RUNS) {
      await appendRun(t, runId);
      await catchUpEvalReadModels(t.sql, t.store);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('GET /leaderboard?mode=gptme: gptme grouping, latest row per test, Wilson z=1, first-seen tie order', async () => {
    const body = await get(t, '/leaderboard?mode=gptme');
    expect(body.items.map((r: Record<string, unknown>) => [r.model, r.format, r.total_passed, r.total_tests, r.pass_rate])).toEqual([
      ['x/glm', 'z-ai', 3, 4, 0.75],
      ['m/a', 'tool', 2, 4, 0.5],
      ['m/c', 'default', 2, 4, 0.5],
    ]);
    expect(body.items[0].ranking_score).toBeCloseTo(0.5, 10);
    expect(body.items[1].ranking_score).toBeCloseTo(0.2763932, 6);
    expect(Object.keys(body.items[0]).sort()).toEqual(['format', 'model', 'pass_rate', 'ranking_score', 'total_passed', 'total_tests']);
  });

  it('GET /leaderboard (default): parsed models, infra error left out and counted, as-of a past date', async () => {
    const body = await get(t, '/leaderboard');
    const row = (m: string) => body.items.find((r: { model: string }) => r.model === m);
    expect([row('m/a').format, row('m/a').passes, row('m/a').attempts]).toEqual(['tool', 2, 4]);
    // m/c t1's latest real attempt is run 3 (P); run 4's infra error only counts apart.
    expect([row('m/c').passes, row('m/c').attempts, row('m/c').infra_errors]).toEqual([3, 4, 1]);
    expect(row('x/glm@z-ai')).toMatchObject({ format: 'default', passes: 3, attempts: 4 });
    // Cost: m/a 12 outcomes at 0.01 (runs 2-4; run 1's old header has no cost) over 2+4+3+2 = 11 passes.
    expect(row('m/a').cost_per_pass).toBeCloseTo(0.12 / 11, 10);
    const asOf = await get(t, '/leaderboard?asOf=2026-01-03T00:00:00Z');
    expect(asOf.items.map((r: { model: string; passes: number; attempts: number }) => [r.model, r.passes, r.attempts])).toEqual([
      ['m/a', 4, 4], // run 2: all pass
      ['x/glm@z-ai', 3, 4],
    ]);
    const page = await get(t, '/leaderboard?limit=1&offset=1');
    expect([page.items.length, page.total]).toEqual([1, 3]);
  });

  it('GET /trends?rules=gptme: the five lists with gptme entries', async () => {
    const body = await get(t, '/trends?rules=gptme');
    const names = (list: { model: string; test: string }[]) => list.map((e) => `${e.model} ${e.test}`);
    expect(Object.keys(body).sort()).toEqual(['flaky', 'improvements', 'regressions', 'stable_fail', 'stable_pass']);
    expect(names(body.flaky)).toEqual(['m/a@tool t2', 'm/a@tool t3', 'm/a@tool t4']);
    expect(names(body.stable_pass)).toEqual(['m/a@tool t1']);
    expect(body.regressions).toEqual([
      {
        model: 'm/c',
        test: 't1',
        latest_passed: false,
        previous_passed: true,
        latest_run: '20260104_000000Z',
        previous_run: '20260103_000000Z',
        pass_rate: 0.5,
        total_runs: 2,
      },
    ]);
    expect(body.flaky[1]).toMatchObject({ pass_rate: 0.75, total_runs: 4 });
  });

  it('gptme options: --model, --last, --regressions, --diff', async () => {
    expect((await get(t, '/trends?rules=gptme&model=M/C')).flaky).toEqual([]);
    const last2 = await get(t, '/trends?rules=gptme&last=2');
    // last two runs: t1 P P, t2 F F, t3 P P, t4 P F
    expect(last2.regressions.map((e: { model: string; test: string }) => `${e.model} ${e.test}`)).toEqual(['m/a@tool t4', 'm/c t1']);
    expect(last2.stable_fail.map((e: { test: string }) => e.test)).toEqual(['t2']);
    expect((await get(t, '/trends?rules=gptme&regressions=true')).flaky).toEqual([]);
    const diff = await get(t, '/trends?rules=gptme&diff=true');
    expect(diff['m/a@tool']).toEqual({
      latest_run: '20260104_000000Z',
      prev_run: '20260103_000000Z',
      gained: [],
      lost: ['t4'],
      unchanged_pass: 2,
      unchanged_fail: 1,
      new_tests: [],
      removed_tests: [],
    });
    expect(diff['m/c']).toMatchObject({ lost: ['t1'], removed_tests: ['t2', 't3', 't4'] });
  });

  it('GET /trends (statistical): numbers behind each label; fewer than 4 runs is insufficient', async () => {
    const body = await get(t, '/trends');
    const t2 = body.items.find((e: { model: string; test: string }) => e.model === 'm/a' && e.test === 't2');
    // 4 runs, recent window 5 holds them all: nothing to compare with, so no test. P P F F flips once in 3
    // (0.333 >= 0.3) with entropy 1 bit (>= 0.7): flaky.
    expect(t2).toMatchObject({ label: 'flaky', runs: 4, p_regression: null, infra_errors: 0 });
    expect(t2.flip_rate).toBeCloseTo(1 / 3, 10);
    const mc = body.items.find((e: { model: string; test: string }) => e.model === 'm/c' && e.test === 't1');
    expect(mc).toMatchObject({ label: 'insufficient', runs: 1, infra_errors: 1 });
    expect(body.counts).toMatchObject({ insufficient: expect.any(Number) });
  });

  it('a rule set (RuleSetDefined) gives its own statistical instance: window 3, recent 1 finds the t4 drop', async () => {
    await withCatalogue(t.store).appendToStream(
      'rule-set-tight',
      [
        {
          eventId: randomUUID(),
          type: 'RuleSetDefined',
          schemaVersion: 1,
          data: { ruleSetId: 'tight', name: 'tight', parameters: { trends: { window: 3, recent: 1, alpha: 0.5, minRuns: 3 }, fdrMethod: 'none' } },
          metadata: { occurredAt: new Date().toISOString(), source: 'test' },
        },
      ],
    );
    await catchUpEvalReadModels(t.sql, t.store, { trendsRuleSet: 'tight' });
    const body = await get(t, '/trends?ruleSet=tight&model=m/a&test=t4');
    // t4 runs 2-4: P P F; baseline 2/2, recent 0/1: p = P(X <= 0) = C(2,0)C(1,1)/C(3,1) = 1/3 < 0.5, uncorrected
    // (fdrMethod: none, so q = p; under the default BH its run's family would need q <= 0.05).
    expect(body.parameters).toMatchObject({ window: 3, recent: 1, alpha: 0.5, fdrMethod: 'none', fdrLevel: 0.05, fdrFamily: 'run' });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ label: 'regression', runs: 3 });
    expect(body.items[0].p_regression).toBeCloseTo(1 / 3, 10);
    expect(body.items[0].q_regression).toBe(body.items[0].p_regression);
    expect(body.ruleSet).toBe('tight');
    expect(body.instanceRuleSet).toBe('tight');
    // m/a's pool: its series with a p value as strata, the stratified test over their own baseline/recent counts.
    const series = (await get(t, '/trends?ruleSet=tight&model=m/a')).items.filter((e: { p_regression: number | null }) => e.p_regression !== null);
    const pooled = await get(t, '/trends/pooled?ruleSet=tight&pool=model');
    expect(pooled.tests).toBeUndefined();
    const ma = pooled.models.find((p: { model: string }) => p.model === 'm/a');
    const strata = series.map((e: StatisticalTrendEntry) => ({ baselineAttempts: e.baseline.attempts, baselinePasses: e.baseline.passes, recentAttempts: e.recent.attempts, recentPasses: e.recent.passes }));
    expect(ma).toMatchObject({ pool: 'model', strata: series.length, p_regression: stratifiedDropTest(strata).p });
    expect(ma.q_regression).toBe(ma.p_regression); // fdrMethod: none
  }, 60_000);

  it('GET /trends?ruleSet=: the default instance answers a rule set that leaves the trend rules alone; an unbuilt own instance is a 503 naming the command; an unknown rule set a 404', async () => {
    const define = (ruleSetId: string, parameters: Record<string, unknown>) =>
      withCatalogue(t.store).appendToStream(`rule-set-${ruleSetId}`, [
        {
          eventId: randomUUID(),
          type: 'RuleSetDefined',
          schemaVersion: 1,
          data: { ruleSetId, name: ruleSetId, parameters },
          metadata: { occurredAt: new Date().toISOString(), source: 'test' },
        },
      ]);
    // `window` under another projection's name is not a trend rule; `trends.window` is.
    await define('elsewhere', { experiments: { window: 2 } });
    await define('wider', { trends: { window: 9 } });
    const defaults = await get(t, '/trends?model=m/a');
    const elsewhere = await get(t, '/trends?ruleSet=elsewhere&model=m/a');
    expect([elsewhere.ruleSet, elsewhere.instanceRuleSet]).toEqual(['elsewhere', null]);
    expect([defaults.ruleSet, defaults.instanceRuleSet]).toEqual([null, null]);
    expect(elsewhere.parameters).toEqual(defaults.parameters);
    expect(elsewhere.items).toEqual(defaults.items);
    const unbuilt = await request(t.http).get('/trends?ruleSet=wider');
    expect(unbuilt.status).toBe(503);
    expect(unbuilt.body.message).toContain('lessonloop projections rebuild trends --rule-set wider');
    const unknown = await request(t.http).get('/trends?ruleSet=nope');
    expect([unknown.status, unknown.body.message]).toEqual([404, expect.stringContaining('"nope"')]);
    expect((await request(t.http).get('/trends?ruleSet=bad%20id')).status).toBe(400);
  });

  it('GET /models/:model/tests/:test/history: every outcome newest first, with label changes, paged', async () => {
    const body = await get(t, '/models/m%2Fa/tests/t2/history');
    expect(body.items.map((e: { runId: string; passed: boolean; change: string | null }) => [e.runId.slice(6, 8), e.passed, e.change])).toEqual([
      ['04', false, null],
      ['03', false, 'regression'],
      ['02', true, null],
      ['01', true, null],
    ]);
    expect(body.items[3]).toMatchObject({ rawModel: 'm/a@tool', format: 'tool', occurredAt: '2026-01-01T00:00:00.000Z' });
    const first = await get(t, '/models/m%2Fa/tests/t2/history?limit=3');
    const second = await get(t, `/models/m%2Fa/tests/t2/history?limit=3&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect([first.items.length, second.items.length, second.nextCursor]).toEqual([3, 1, null]);
    expect(second.items[0].runId).toBe('20260101_000000Z');
    // By the raw model string: only run 1 wrote `m/a@tool` (runs 2-4 write `m/a` with a Tool Format column).
    const raw = await get(t, '/models/m%2Fa%40tool/tests/t2/history');
    expect(raw.items.map((e: { runId: string; rawModel: string }) => [e.runId, e.rawModel])).toEqual([['20260101_000000Z', 'm/a@tool']]);
  });

  it('refuses unknown or malformed parameters with 400', async () => {
    const res = await request(t.http).get('/leaderboard?mode=best&colour=red');
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['colour', 'mode']);
    const pooled = await request(t.http).get('/trends/pooled?pool=suite');
    expect(pooled.status).toBe(400);
    expect(pooled.body.problems.map((p: { field: string }) => p.field)).toEqual(['pool']);
  });

  it('a repeated read is written from its kept JSON: same bytes and ETag, a JSON content type, 304 on If-None-Match', async () => {
    for (const url of ['/leaderboard', '/leaderboard?mode=gptme', '/trends', '/trends?rules=gptme&limit=1']) {
      const first = await request(t.http).get(url);
      const second = await request(t.http).get(url);
      expect(first.status).toBe(200);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(second.text).toBe(first.text);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(first.body).toEqual(JSON.parse(first.text));
      const conditional = await request(t.http).get(url).set('If-None-Match', first.headers.etag!);
      expect(conditional.status).toBe(304);
    }
    const paged = await request(t.http).get('/leaderboard?limit=1');
    const whole = await request(t.http).get('/leaderboard');
    expect(paged.headers.etag).not.toBe(whole.headers.etag);
    expect(paged.body.items).toEqual(whole.body.items.slice(0, 1));
  });

  it('a rebuild from the start gives the same answers as the read models built run by run', async () => {
    const incremental = await allAnswers(t);
    const engine = evalReadModelsEngine(t.sql, t.store);
    await engine.prepare();
    const before = await Promise.all(EVAL_READ_MODEL_PROJECTIONS.map((p) => engine.currentInstanceId(p.name)));
    const rebuilt = await Promise.all(EVAL_READ_MODEL_PROJECTIONS.map((p) => engine.rebuild(p.name)));
    try {
      await Promise.all(rebuilt.map((i, n) => engine.run(i.instanceId, EVAL_READ_MODEL_PROJECTIONS[n]!.name).whenCaughtUp()));
      const deadline = Date.now() + 20_000;
      for (;;) {
        const now = await Promise.all(EVAL_READ_MODEL_PROJECTIONS.map((p) => engine.currentInstanceId(p.name)));
        if (now.every((id, n) => id === rebuilt[n]!.instanceId)) break;
        if (Date.now() > deadline) throw new Error(`rebuilt instances not switched in: ${now.join(', ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await engine.stop();
    }
    expect(rebuilt.map((i) => i.instanceId)).not.toEqual(before);
    // Let the read side's memo of instance positions expire, so the answers below come from the new instances.
    await new Promise((r) => setTimeout(r, STATE_TTL_MS + 50));
    expect(await allAnswers(t)).toEqual(incremental);
  }, 60_000);
});
