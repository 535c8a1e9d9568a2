/**
 * The CI gate's decision (projections/eval/ci-gate.ts), pure and in memory: hand-worked cases, then replays of
 * the gate world (bench/gen-history/calibration-world/gate-world.ts): 4 models x 99 tests, 19 history runs of
 * one outcome each, a candidate run of 15 attempts per test. A/A: no change anywhere; planted: 5 tests of one
 * model from 90% to 20% (the worst case of the claim). At 10 attempts the planted share is about 93-96%, at 5
 * about 25%, at one attempt no single-series drop is detectable at all (the last test).
 */
import { ciGateVerdict, DEFAULT_CI_GATE_RULES, type CiGateRules, type CiGateSeriesInput } from '../../projections/eval/ci-gate.js';
import type { RunAttempts } from '../../projections/eval/trends.js';
import { qValues } from '../../projections/stats/false-discovery.js';
import { resolveCiGateRules } from '../../projections/eval/ci-gate-rules.js';
import { RULE_FAMILIES } from '../../src/rule-set-families.js';
import { ruleSetProblems } from '../../src/rule-sets/rule-set-problems.js';
import { gateReplay, type GateReplayOptions } from '../../bench/gen-history/calibration-world/gate-world.js';

const SHAPE = { models: 4, tests: 99, baselineRuns: 19, attempts: 15 };
const REPLAYS = 200;
const rules = DEFAULT_CI_GATE_RULES;

function run(runId: string, day: number, n: number, c: number): RunAttempts {
  const time = `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
  return { at: `${time}|${runId}`, runId, n, c, time };
}
const history = (passes: readonly number[]) => passes.map((c, i) => run(`r${passes.length - i}`, passes.length - i, 1, c));
const series = (test: string, candidate: RunAttempts | null, baseline: RunAttempts[], infraErrors = 0, model = 'm'): CiGateSeriesInput => ({ model, format: 'tool', test, candidate, baseline, infraErrors });

function failureRate(options: Omit<GateReplayOptions, 'seed'>, gate: CiGateRules, replays = REPLAYS, firstSeed = 1) {
  let failed = 0;
  let plantedFound = 0;
  let mdes = 0;
  for (let seed = firstSeed; seed < firstSeed + replays; seed++) {
    const replay = gateReplay({ seed, ...options });
    const verdict = ciGateVerdict(`gate-${seed}-candidate`, replay.input, gate);
    if (verdict.verdict === 'fail') failed += 1;
    const names = new Set(replay.planted.map((p) => `${p.model}|${p.test}`));
    if (verdict.failures.some((f) => f.test !== null && names.has(`${f.model}|${f.test}`))) plantedFound += 1;
    mdes += verdict.hypotheses.filter((h) => h.kind === 'series' && h.mde !== null).length;
  }
  const share = failed / replays;
  return { failed, replays, share, se: Math.sqrt((share * (1 - share)) / replays), plantedFound, seriesWithMde: mdes / replays };
}

describe('ciGateVerdict', () => {
  it('tests each series of the run against its baseline and fails on a drop that survives BH at q', () => {
    const strong = series('t-broken', run('c', 30, 10, 0), history(Array(19).fill(1)));
    const fine = ['a', 'b', 'c', 'd'].map((t) => series(t, run('c', 30, 10, 9), history(Array(19).fill(1))));
    const v = ciGateVerdict('c', [strong, ...fine], rules);
    expect(v.verdict).toBe('fail');
    expect(v.failures.map((f) => [f.kind, f.test]).sort()).toEqual([['model', null], ['series', 't-broken']]);
    const broken = v.failures.find((f) => f.test === 't-broken')!;
    // Fisher: 19/19 vs 0/10, p = 1 / C(29, 10); five series and one model pool in the family, this p the smallest.
    expect(broken.p).toBeCloseTo(1 / 20030010, 15);
    expect(v.family).toMatchObject({ hypotheses: 6, series: 5, pools: 1 });
    // The model pool's p is smaller still (rank 1), so the series' q is p x 6 / 2; q values are BH's over the family.
    expect(v.failures.find((f) => f.kind === 'model')!.p).toBeLessThan(broken.p);
    expect(broken.q).toBeCloseTo(broken.p * 3, 15);
    expect(v.hypotheses.map((h) => h.q)).toEqual(qValues(v.hypotheses.map((h) => h.p), 'bh'));
    expect([broken.drop, broken.flaky]).toEqual([1, false]);
    expect(v.hypotheses.filter((h) => h.kind === 'series' && h.test !== 't-broken').every((h) => !h.failed)).toBe(true);
  });

  it('passes a run whose drops are chance; minDrop keeps small significant drops from failing', () => {
    const small = series('t', run('c', 30, 200, 150), history(Array(19).fill(1)).map((r) => ({ ...r, n: 100, c: 95 })));
    expect(ciGateVerdict('c', [small], rules).verdict).toBe('fail');
    expect(ciGateVerdict('c', [small], { ...rules, minDrop: 0.25 }).verdict).toBe('pass');
    const chance = series('t', run('c', 30, 1, 0), history([1, 1, 0, 1, 1, 1, 0, 1]));
    expect(ciGateVerdict('c', [chance], rules)).toMatchObject({ verdict: 'pass', counts: { failed: 0 } });
  });

  it('counts infra errors and series without a baseline, and says no-data when nothing can be tested', () => {
    const infraOnly = series('i', null, history([1, 1, 1]), 3);
    const fresh = series('n', run('c', 30, 1, 0), [], 1);
    const v = ciGateVerdict('c', [infraOnly, fresh], rules);
    expect(v.verdict).toBe('no-data');
    expect(v.counts).toMatchObject({ series: 2, tested: 0, 'infra-only': 1, 'no-baseline': 1, infra_errors: 4 });
    expect(v.untested.map((u) => [u.test, u.status])).toEqual([['i', 'infra-only'], ['n', 'no-baseline']]);
  });

  it("labels flaky series by their baseline; 'exclude' lists them apart instead of testing them", () => {
    const flaky = series('f', run('c', 30, 10, 0), history([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]));
    const tested = ciGateVerdict('c', [flaky], rules);
    expect(tested.hypotheses[0]).toMatchObject({ flaky: true, failed: true });
    expect(tested.verdict).toBe('fail');
    const excluded = ciGateVerdict('c', [flaky], { ...rules, flaky: 'exclude' });
    expect(excluded).toMatchObject({ verdict: 'no-data', counts: { flaky: 1, 'flaky-excluded': 1 } });
    expect(excluded.untested[0]).toMatchObject({ test: 'f', status: 'flaky-excluded', flaky: true });
  });
});

describe('the ci-gate rule family', () => {
  it('takes a rule set\'s ciGate* rules at the top level, then from its ci-gate block, over the defaults', () => {
    expect(resolveCiGateRules(null)).toEqual(DEFAULT_CI_GATE_RULES);
    expect(resolveCiGateRules({ ciGateFdrMethod: 'none', ciGateFdrLevel: 0.1, 'ci-gate': { ciGateFdrLevel: 0.01, ciGateFlaky: 'exclude' } }, { flakyFlipRate: 0.5, flakyEntropy: 0.9 }))
      .toEqual({ ...DEFAULT_CI_GATE_RULES, fdrMethod: 'none', fdrLevel: 0.01, flaky: 'exclude', flakyFlipRate: 0.5, flakyEntropy: 0.9 });
  });

  it('is registered: a rule set with a bad gate rule is refused, naming it', () => {
    expect(ruleSetProblems(RULE_FAMILIES, { ciGateMinDrop: 0.1 })).toEqual([]);
    expect(ruleSetProblems(RULE_FAMILIES, { ciGateFdrLevel: 2 })).toEqual([{ field: 'ciGateFdrLevel', reason: expect.stringContaining('(ci-gate rules)') }]);
    expect(ruleSetProblems(RULE_FAMILIES, { 'ci-gate': { ciGateFlaky: 'ignore' } })[0]).toMatchObject({ field: 'ci-gate.ciGateFlaky' });
  });
});

describe(`the gate over replays (${SHAPE.models} models x ${SHAPE.tests} tests, ${SHAPE.baselineRuns} history runs, ${SHAPE.attempts} attempts)`, () => {
  it(`A/A: over ${REPLAYS} replays the gate fails at most q + 2 SE of runs; uncorrected (p <= 0.05) it fails most`, () => {
    const corrected = failureRate(SHAPE, rules);
    const uncorrected = failureRate(SHAPE, { ...rules, fdrMethod: 'none' }, 50);
    console.log(JSON.stringify({ aa: corrected, aaUncorrected: uncorrected }));
    expect(corrected.replays).toBeGreaterThanOrEqual(200);
    expect(corrected.share).toBeLessThanOrEqual(rules.fdrLevel + 2 * corrected.se);
    expect(uncorrected.share).toBeGreaterThan(0.5);
  });

  it(`planted: 5 tests of one model from 90% to 20% fail the gate in >= 95% of ${REPLAYS} replays, on a planted series`, () => {
    const planted = failureRate({ ...SHAPE, plant: { tests: 5, from: 0.9, to: 0.2 } }, rules, REPLAYS, 10_001);
    console.log(JSON.stringify({ planted }));
    expect(planted.share).toBeGreaterThanOrEqual(0.95);
    expect(planted.plantedFound / planted.replays).toBeGreaterThanOrEqual(0.95);
  });

  it('says what one attempt per test cannot show: no single-series drop is detectable, and the gate rarely fails', () => {
    const one = failureRate({ ...SHAPE, attempts: 1, plant: { tests: 5, from: 0.9, to: 0.2 } }, rules, 40, 20_001);
    console.log(JSON.stringify({ oneAttempt: one }));
    expect(one.seriesWithMde).toBe(0);
    expect(one.share).toBeLessThan(0.5);
  });
});
