/**
 * Paging, server-side sort and the model / format / suite / time filters of the eval list endpoints, over a
 * planted world whose answers are worked out by hand:
 *   run 1 (02-01) and run 2 (02-02): m/a (tool) and m/b (markdown); run 3 (02-03): m/a only; run 4 (02-04): m/b only.
 *   suite basic: tests b1, b2; suite practical: test p1.
 *   m/a: b1 P P P, b2 P P F, p1 F F P        m/b: b1 P P F, b2 F F F, p1 F P F
 * gptme rules (three outcomes each, so nothing is flaky): regressions m/a@tool b2 (2/3), m/b@markdown b1 (2/3),
 * m/b@markdown p1 (1/3); improvements m/a@tool p1; stable pass m/a@tool b1; stable fail m/b@markdown b2.
 * Statistical rules (minRuns 4): all six series are `insufficient`; recent = all three runs, baseline empty.
 * Leaderboard (latest run of each test): m/a 2/3 (b1 P, b2 F, p1 P), m/b 0/3.
 */
import request from 'supertest';
import { catchUpEvalReadModels } from '../../src/eval-read-models/catch-up-eval-read-models.js';
import { historyParamsSchema, leaderboardParamsSchema, trendsParamsSchema } from '../../src/eval-read-models/queries/eval-query-params.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { buildEvalRunEvents, type EvalOutcomeInput } from '../../src/ingest/eval-run-events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SUITES: Record<string, string> = { b1: 'basic', b2: 'basic', p1: 'practical' };
const RESULTS: Record<string, Record<string, string>> = {
  'm/a': { b1: 'PPP', b2: 'PPF', p1: 'FFP' },
  'm/b': { b1: 'PPF', b2: 'FFF', p1: 'FPF' },
};
const FORMATS: Record<string, 'tool' | 'markdown'> = { 'm/a': 'tool', 'm/b': 'markdown' };
/** Which of its three outcomes each model records in each run. */
const RUNS: { runId: string; startedAt: string; outcome: Record<string, number> }[] = [
  { runId: '20260201_000000Z', startedAt: '2026-02-01T00:00:00Z', outcome: { 'm/a': 0, 'm/b': 0 } },
  { runId: '20260202_000000Z', startedAt: '2026-02-02T00:00:00Z', outcome: { 'm/a': 1, 'm/b': 1 } },
  { runId: '20260203_000000Z', startedAt: '2026-02-03T00:00:00Z', outcome: { 'm/a': 2 } },
  { runId: '20260204_000000Z', startedAt: '2026-02-04T00:00:00Z', outcome: { 'm/b': 2 } },
];

function outcomesOf(outcome: Record<string, number>): EvalOutcomeInput[] {
  return Object.entries(outcome).flatMap(([model, i]) =>
    Object.entries(RESULTS[model]!).map(([test, results]) => ({
      suite: SUITES[test]!,
      test,
      model,
      toolFormat: FORMATS[model]!,
      rawModel: model,
      passed: results[i] === 'P',
    })),
  );
}

const names = (list: { model: string; test: string }[]) => list.map((e) => `${e.model} ${e.test}`);

describe('eval list endpoints: paging, sort and filters (e2e, planted world)', () => {
  let t: TestApp;
  const get = async (url: string) => {
    const res = await request(t.http).get(url);
    expect(res.status).toBe(200);
    return res.body;
  };
  const problems = async (url: string) => {
    const res = await request(t.http).get(url);
    expect(res.status).toBe(400);
    return res.body.problems as { field: string; reason: string }[];
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    const appends = RUNS.map((r) => buildEvalRunEvents({ runId: r.runId, startedAt: r.startedAt, source: 'test', outcomes: outcomesOf(r.outcome) }));
    await withCatalogue(t.store).appendMany(appends);
    await catchUpEvalReadModels(t.sql, t.store);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('gptme trends without paging parameters keep gptme\'s five lists, nothing else', async () => {
    const body = await get('/trends?rules=gptme');
    expect(Object.keys(body).sort()).toEqual(['flaky', 'improvements', 'regressions', 'stable_fail', 'stable_pass']);
    expect(names(body.regressions)).toEqual(['m/a@tool b2', 'm/b@markdown b1', 'm/b@markdown p1']);
    expect(names(body.improvements)).toEqual(['m/a@tool p1']);
  });

  it('gptme trends with limit/offset: every list paged, the totals beside them', async () => {
    const body = await get('/trends?rules=gptme&limit=2');
    expect(names(body.regressions)).toEqual(['m/a@tool b2', 'm/b@markdown b1']);
    expect(body.totals).toEqual({ regressions: 3, improvements: 1, stable_pass: 1, stable_fail: 1, flaky: 0 });
    expect([body.offset, body.limit]).toEqual([0, 2]);
    const second = await get('/trends?rules=gptme&limit=2&offset=2');
    expect(names(second.regressions)).toEqual(['m/b@markdown p1']);
    expect(second.improvements).toEqual([]);
  });

  it('gptme trends with category: one list as a page, sorted over the whole list', async () => {
    const page = await get('/trends?rules=gptme&category=regressions&limit=2&offset=2');
    expect([names(page.items), page.total, page.offset, page.limit, page.category]).toEqual([['m/b@markdown p1'], 3, 2, 2, 'regressions']);
    expect(page.totals.improvements).toBe(1);
    // pass rates 2/3, 2/3, 1/3: ascending puts p1 first; the two ties keep their model/test order.
    const byRate = await get('/trends?rules=gptme&category=regressions&sort=pass_rate&order=asc&limit=1');
    expect(names(byRate.items)).toEqual(['m/b@markdown p1']);
    const desc = await get('/trends?rules=gptme&category=regressions&sort=pass_rate&order=desc');
    expect(names(desc.items)).toEqual(['m/a@tool b2', 'm/b@markdown b1', 'm/b@markdown p1']);
    const beyond = await get('/trends?rules=gptme&category=regressions&offset=10');
    expect([beyond.items, beyond.total]).toEqual([[], 3]);
  });

  it('gptme trends filtered by suite, format and the time of the latest outcome', async () => {
    const regressions = async (query: string) => names((await get(`/trends?rules=gptme&category=regressions&${query}`)).items);
    expect(await regressions('suite=practical')).toEqual(['m/b@markdown p1']);
    expect(await regressions('suite=basic')).toEqual(['m/a@tool b2', 'm/b@markdown b1']);
    expect(await regressions('suite=none')).toEqual([]);
    expect(await regressions('format=markdown')).toEqual(['m/b@markdown b1', 'm/b@markdown p1']);
    // m/a's latest outcomes are on 02-03, m/b's on 02-04.
    expect(await regressions('from=2026-02-04T00:00:00Z')).toEqual(['m/b@markdown b1', 'm/b@markdown p1']);
    expect(await regressions('to=2026-02-04T00:00:00Z')).toEqual(['m/a@tool b2']);
    // The unpaged report takes the filters too, in gptme's shape.
    const practical = await get('/trends?rules=gptme&suite=practical');
    expect([names(practical.regressions), names(practical.improvements), practical.stable_pass]).toEqual([['m/b@markdown p1'], ['m/a@tool p1'], []]);
  });

  it('statistical trends: paged with the total, sorted over the whole list, filtered by suite and time', async () => {
    const all = await get('/trends?limit=2&offset=2');
    expect([all.items.map((e: { model: string; test: string }) => `${e.model} ${e.test}`), all.total]).toEqual([['m/a p1', 'm/b b1'], 6]);
    const practical = await get('/trends?suite=practical');
    expect([names(practical.items), practical.counts]).toEqual([['m/a p1', 'm/b p1'], { insufficient: 2 }]);
    // Recent pass rates (all three runs): m/a b1 1, b2 2/3, p1 1/3; m/b b1 2/3, b2 0, p1 1/3.
    const byRecent = await get('/trends?sort=recent_pass_rate&order=desc');
    expect(names(byRecent.items)).toEqual(['m/a b1', 'm/a b2', 'm/b b1', 'm/a p1', 'm/b p1', 'm/b b2']);
    const newest = await get('/trends?sort=latest_run_at&order=desc&limit=3');
    expect([names(newest.items), newest.total]).toEqual([['m/b b1', 'm/b b2', 'm/b p1'], 6]);
    expect(names((await get('/trends?from=2026-02-04T00:00:00Z&format=markdown')).items)).toEqual(['m/b b1', 'm/b b2', 'm/b p1']);
    const beyond = await get('/trends?offset=50');
    expect([beyond.items, beyond.total, beyond.offset]).toEqual([[], 6, 50]);
  });

  it('leaderboard: sorted by a column over every row, paged, per suite', async () => {
    const ranked = await get('/leaderboard');
    expect(ranked.items.map((r: { model: string; passes: number; attempts: number }) => [r.model, r.passes, r.attempts])).toEqual([
      ['m/a', 2, 3],
      ['m/b', 0, 3],
    ]);
    const worstFirst = await get('/leaderboard?sort=pass_rate&order=asc&limit=1');
    expect([worstFirst.items.map((r: { model: string }) => r.model), worstFirst.total]).toEqual([['m/b'], 2]);
    const practical = await get('/leaderboard?suite=practical&sort=model&order=desc');
    expect(practical.items.map((r: { model: string; passes: number; attempts: number }) => [r.model, r.passes, r.attempts])).toEqual([
      ['m/b', 0, 1],
      ['m/a', 1, 1],
    ]);
    expect((await get('/leaderboard?bySuite=true')).total).toBe(4);
    const beyond = await get('/leaderboard?offset=5&limit=1');
    expect([beyond.items, beyond.total]).toEqual([[], 2]);
    const gptme = await get('/leaderboard?mode=gptme&minTests=1&sort=total_passed&order=asc');
    expect(gptme.items.map((r: { model: string; total_passed: number }) => [r.model, r.total_passed])).toEqual([
      ['m/b', 0],
      ['m/a', 2],
    ]);
  });

  it('history filtered by suite', async () => {
    const practical = await get('/models/m%2Fa/tests/p1/history?suite=practical');
    expect(practical.items.map((e: { runId: string; suite: string }) => [e.runId, e.suite])).toEqual([
      ['20260203_000000Z', 'practical'],
      ['20260202_000000Z', 'practical'],
      ['20260201_000000Z', 'practical'],
    ]);
    const basic = await get('/models/m%2Fa/tests/p1/history?suite=basic');
    expect([basic.items, basic.total]).toEqual([[], 0]);
  });

  it('unknown sort keys, a category outside gptme rules and bad orders are 400s naming the field', async () => {
    const sortProblem = (await problems('/trends?sort=colour'))[0]!;
    expect(sortProblem.field).toBe('sort');
    expect(sortProblem.reason).toContain('recent_pass_rate');
    // A statistical key is not a gptme key, a gptme leaderboard key not a default one.
    expect((await problems('/trends?rules=gptme&sort=flip_rate')).map((p) => p.field)).toEqual(['sort']);
    expect((await problems('/leaderboard?sort=ranking_score')).map((p) => p.field)).toEqual(['sort']);
    expect((await problems('/trends?category=flaky')).map((p) => p.field)).toEqual(['category']);
    // Parameters of the other mode / rule set are refused, not ignored.
    expect((await problems('/trends?rules=gptme&test=b1&ruleSet=x')).map((p) => p.field).sort()).toEqual(['ruleSet', 'test']);
    expect((await problems('/trends?last=2')).map((p) => p.field)).toEqual(['last']);
    expect((await problems('/leaderboard?mode=gptme&suite=basic')).map((p) => p.field)).toEqual(['suite']);
    expect((await problems('/trends?rules=gptme&diff=true&limit=5')).map((p) => p.field)).toEqual(['limit']);
    expect((await problems('/leaderboard?sort=model&order=up')).map((p) => p.field)).toEqual(['order']);
    expect((await problems('/trends?offset=-1')).map((p) => p.field)).toEqual(['offset']);
  });

  it('gptme diff takes only model: the list filters and gptme\'s list switches with it are 400s, not ignored', async () => {
    for (const name of ['format=tool', 'suite=basic', 'from=2026-02-02T00:00:00Z', 'to=2026-02-03T00:00:00Z', 'last=2', 'regressions=true', 'improvements=true']) {
      expect((await problems(`/trends?rules=gptme&diff=true&${name}`)).map((p) => p.field)).toEqual([name.slice(0, name.indexOf('='))]);
    }
    // m/a@tool's last two runs are runs 2 and 3, m/b@markdown's runs 2 and 4 (one per model with the filter).
    expect(Object.keys(await get('/trends?rules=gptme&diff=true'))).toEqual(['m/a@tool', 'm/b@markdown']);
    expect(Object.keys(await get('/trends?rules=gptme&diff=true&model=markdown'))).toEqual(['m/b@markdown']);
  });

  it('leaderboard: asOf and to together are a 400 naming asOf; each alone ends the window', async () => {
    expect((await problems('/leaderboard?asOf=2026-02-03T00:00:00Z&to=2026-02-02T00:00:00Z')).map((p) => p.field)).toEqual(['asOf']);
    // Before 02-03 only runs 1 and 2 count: m/a b1 P, b2 P, p1 F (2/3); m/b b1 P, b2 F, p1 P (2/3).
    const asOf = await get('/leaderboard?asOf=2026-02-03T00:00:00Z');
    const to = await get('/leaderboard?to=2026-02-03T00:00:00Z');
    const passes = (body: { items: { model: string; passes: number }[] }) => body.items.map((r) => [r.model, r.passes]);
    expect(passes(asOf).sort()).toEqual([['m/a', 2], ['m/b', 2]]);
    expect(passes(to)).toEqual(passes(asOf));
  });

  it('OpenAPI documents every query parameter the endpoints accept', async () => {
    const doc = (await get('/docs-json')) as { paths: Record<string, { get: { parameters: { name: string; in: string }[] } }> };
    const documented = (path: string) => doc.paths[path]!.get.parameters.filter((p) => p.in === 'query').map((p) => p.name).sort();
    expect(documented('/leaderboard')).toEqual(Object.keys(leaderboardParamsSchema.shape).sort());
    expect(documented('/trends')).toEqual(Object.keys(trendsParamsSchema.shape).sort());
    expect(documented('/models/{model}/tests/{test}/history')).toEqual(Object.keys(historyParamsSchema.shape).sort());
  });
});
