/**
 * `lessonloop ci-gate` and GET /eval-runs/:runId/ci-gate on a tiny planted world, through the store and the read
 * models. Model m/a (tool), tests t1..t6, twelve history runs (01-01..01-12) passing every test once; run `good`
 * (01-13) passes every test 5 times out of 5; run `bad` (01-14) fails t1 and t2 5 times out of 5, passes the
 * others, and has one suspected infra error on t3 (no tokens, 1 s). Worked by hand: in `bad`, t1 has baseline
 * 17/17 (twelve runs + good's five attempts) against 0/5, Fisher p = 1 / C(22, 5) = 1/26,334; the family is six
 * series and one model pool. Also here: paging and filters leave the trends' q values as the whole instance's,
 * and a rebuild from the start gives the incremental build's q values and verdicts.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { register as registerCiGate } from '../../src/cli/commands/ci-gate.command.js';
import { catchUpEvalReadModels, evalReadModelsEngine } from '../../src/eval-read-models/catch-up-eval-read-models.js';
import { EVAL_READ_MODEL_PROJECTIONS } from '../../src/eval-read-models/eval-read-model-projections.js';
import { STATE_TTL_MS } from '../../src/eval-read-models/read-model/eval-read-state.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { buildEvalRunEvents, type EvalOutcomeInput } from '../../src/ingest/eval-run-events.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const TESTS = ['t1', 't2', 't3', 't4', 't5', 't6'];
const outcome = (test: string, passed: boolean, infra = false): EvalOutcomeInput => ({
  suite: 'basic',
  test,
  model: 'm/a',
  rawModel: 'm/a',
  toolFormat: 'tool',
  passed,
  ...(infra ? { durations: { total: 1, generation: 0, run: 1, eval: 0 }, tokens: { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, total: 0 } } : {}),
} as EvalOutcomeInput);
const day = (d: number) => `2026-01-${String(d).padStart(2, '0')}T00:00:00Z`;
const attempts = (test: string, n: number, passed: boolean) => Array.from({ length: n }, () => outcome(test, passed));

const HISTORY = Array.from({ length: 12 }, (_, i) => ({ runId: `h${String(i + 1).padStart(2, '0')}`, startedAt: day(i + 1), outcomes: TESTS.map((t) => outcome(t, true)) }));
const GOOD = { runId: 'good', startedAt: day(13), outcomes: TESTS.flatMap((t) => attempts(t, 5, true)) };
const BAD = {
  runId: 'bad',
  startedAt: day(14),
  outcomes: [...TESTS.flatMap((t) => attempts(t, 5, t !== 't1' && t !== 't2')), outcome('t3', false, true)],
};

describe('CI gate (e2e, tiny planted world)', () => {
  let t: TestApp;
  const cli = (...args: string[]) => runCommandOnApp([registerCiGate], t.app, ['ci-gate', ...args]);
  const gate = async (url: string) => {
    const res = await request(t.http).get(url);
    expect(res.status).toBe(200);
    return res.body;
  };
  const trendsAnswers = async () => ({
    trends: (await gate('/trends?limit=500')).items,
    pooled: await gate('/trends/pooled'),
    good: await gate('/eval-runs/good/ci-gate'),
    bad: await gate('/eval-runs/bad/ci-gate'),
  });

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    const runs = [...HISTORY, GOOD, BAD].map((r) => buildEvalRunEvents({ ...r, source: 'test' }));
    await withCatalogue(t.store).appendMany(runs.slice(0, -1));
    await catchUpEvalReadModels(t.sql, t.store);
    await withCatalogue(t.store).appendMany(runs.slice(-1)); // imported last: the CLI projects it before judging
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('exit 1 with the failing series and their p and q (table, markdown, json); infra errors counted', async () => {
    const error = await cli('--run', 'bad').then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 1, message: expect.stringContaining('run bad fails: 3 regression(s)') });
    const json = await cli('--run', 'bad', '--format', 'json').catch((e: unknown) => e);
    expect(json).toMatchObject({ exitCode: 1 });
    const verdict = await gate('/eval-runs/bad/ci-gate');
    expect(verdict).toMatchObject({ verdict: 'fail', family: { hypotheses: 7, series: 6, pools: 1 }, counts: { tested: 6, infra_errors: 1, failed: 3 } });
    const t1 = verdict.failures.find((f: { test: string }) => f.test === 't1');
    expect(t1).toMatchObject({ kind: 'series', baseline: { runs: 13, attempts: 17, passes: 17 }, candidate: { attempts: 5, passes: 0 }, drop: 1 });
    expect(t1.p).toBeCloseTo(1 / 26334, 12);
    expect(verdict.hypotheses.find((h: { test: string }) => h.test === 't3').candidate).toEqual({ attempts: 5, passes: 5, pass_rate: 1 });
    // The table and the Markdown name each failure with its p and q.
    const captured = await captureFailing(['--run', 'bad']);
    expect(captured).toMatch(/^ci-gate run bad: FAIL \(3 of 7 hypotheses fail; BH at q = 0.05, min drop 0\)/);
    expect(captured).toMatch(/series\s+m\/a\s+tool\s+t1\s+17\/17 100%\s+0\/5 0%\s+100.0 pts\s+3.8e-5\s+/);
    expect(await captureFailing(['--run', 'bad', '--format', 'markdown'])).toContain('| series | m/a | tool | t1 | 17/17 100% | 0/5 0% | 100.0 pts | 3.8e-5 |');
  }, 60_000);

  it('exit 0 for a run with no regression, also against one named baseline run; HTTP gives the same verdict', async () => {
    expect(await cli('--run', 'good', '--no-catch-up')).toContain('ci-gate run good: PASS');
    expect(await cli('--run', 'good', '--baseline', 'h01', '--no-catch-up')).toContain('PASS');
    const json = JSON.parse(await cli('--run', 'good', '--format', 'json', '--no-catch-up'));
    expect(json).toEqual(await gate('/eval-runs/good/ci-gate'));
    expect(json.hypotheses.filter((h: { kind: string }) => h.kind === 'series').every((h: { baseline: { runs: number } }) => h.baseline.runs === 12)).toBe(true);
    // A drop smaller than --min-drop passes: t1 and t2 fell by 100 points, so no min drop up to 1 lets them through.
    await expect(cli('--run', 'bad', '--min-drop', '1', '--no-catch-up')).rejects.toMatchObject({ exitCode: 1 });
  }, 60_000);

  it('exit 2 on usage and data errors: unknown run, --last above the window, both baselines, bad level', async () => {
    await expect(cli('--run', 'nope', '--no-catch-up')).rejects.toMatchObject({ exitCode: 2, message: 'no eval run "nope"' });
    await expect(cli('--run', 'bad', '--last', '20', '--no-catch-up')).rejects.toMatchObject({ exitCode: 2 });
    await expect(cli('--run', 'bad', '--last', '3', '--baseline', 'h01')).rejects.toMatchObject({ exitCode: 2 });
    await expect(cli('--run', 'bad', '--fdr', '1.5')).rejects.toMatchObject({ exitCode: 2 });
    await expect(cli('--fdr', '0.1')).rejects.toMatchObject({ exitCode: 2 });
    await expect(cli('--run', 'bad', '--bogus')).rejects.toMatchObject({ exitCode: 2 });
    // A run with nothing to compare (the first one): no-data, exit 2.
    await expect(cli('--run', 'h01', '--no-catch-up')).rejects.toMatchObject({ exitCode: 2 });
    expect((await request(t.http).get('/eval-runs/nope/ci-gate')).status).toBe(404);
    expect((await request(t.http).get('/eval-runs/bad/ci-gate?last=20')).status).toBe(400);
    expect((await request(t.http).get('/eval-runs/bad/ci-gate?fdr=2')).status).toBe(400);
  }, 60_000);

  it('a rule set gives the gate its rules (ci-gate family), the request overrides them', async () => {
    await withCatalogue(t.store).appendToStream('rule-set-strict-gate', [
      {
        eventId: randomUUID(),
        type: 'RuleSetDefined',
        schemaVersion: 1,
        data: { ruleSetId: 'strict-gate', name: 'strict-gate', parameters: { 'ci-gate': { ciGateFdrMethod: 'by', ciGateFdrLevel: 1e-12 } } },
        metadata: { occurredAt: new Date().toISOString(), source: 'test' },
      },
    ]);
    // BY at 1e-12 over 7 hypotheses: neither t1 (p 3.8e-5) nor the model pool (p ~7e-10) fails; the request's --fdr brings them back.
    const strict = await gate('/eval-runs/bad/ci-gate?ruleSet=strict-gate');
    expect(strict).toMatchObject({ verdict: 'pass', rules: { fdrMethod: 'by', fdrLevel: 1e-12 } });
    expect(await cli('--run', 'bad', '--rule-set', 'strict-gate', '--no-catch-up')).toContain('PASS (0 of 7 hypotheses fail; BY at q = 1e-12');
    await expect(cli('--run', 'bad', '--rule-set', 'strict-gate', '--fdr', '0.05', '--no-catch-up')).rejects.toMatchObject({ exitCode: 1 });
    await expect(cli('--run', 'bad', '--rule-set', 'nobody', '--no-catch-up')).rejects.toMatchObject({ exitCode: 2 });
    expect((await request(t.http).get('/eval-runs/bad/ci-gate?ruleSet=nobody')).status).toBe(404);
  }, 60_000);

  it('paging and filters leave every q value as the whole instance has it', async () => {
    const whole = (await gate('/trends?limit=500')).items as { model: string; test: string; q_regression: number | null }[];
    expect(whole.filter((e) => e.q_regression !== null).length).toBeGreaterThanOrEqual(6);
    const paged = [];
    for (let offset = 0; offset < whole.length; offset += 2) paged.push(...(await gate(`/trends?limit=2&offset=${offset}`)).items);
    expect(paged).toEqual(whole);
    for (const test of ['t1', 't4']) expect((await gate(`/trends?test=${test}`)).items).toEqual(whole.filter((e) => e.test === test));
    expect((await gate('/trends?label=regression')).items).toEqual(whole.filter((e) => (e as unknown as { label: string }).label === 'regression'));
  }, 60_000);

  it('a rebuild from the start gives the same q values and verdicts as the incremental build', async () => {
    const incremental = await trendsAnswers();
    expect(incremental.pooled.models[0].q_regression).not.toBeNull();
    const engine = evalReadModelsEngine(t.sql, t.store);
    await engine.prepare();
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
    await new Promise((r) => setTimeout(r, STATE_TTL_MS + 50));
    expect(await trendsAnswers()).toEqual(incremental);
  }, 60_000);

  /** What a failing command printed (runCommandOnApp throws the exit; the output is captured by a second register). */
  async function captureFailing(args: string[]): Promise<string> {
    let printed = '';
    const { Command } = await import('commander');
    const program = new Command('lessonloop').exitOverride();
    registerCiGate(program, { stdout: { write: (s: string) => ((printed += s), true) } as unknown as NodeJS.WriteStream, withContext: (fn) => fn(t.app) });
    await program.parseAsync(['node', 'lessonloop', 'ci-gate', ...args, '--no-catch-up']).catch(() => undefined);
    return printed;
  }
});
