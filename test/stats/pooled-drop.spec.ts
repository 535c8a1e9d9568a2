/**
 * The stratified (Cochran–Mantel–Haenszel) drop test, its power and minimum detectable drop, and the pooled
 * trends built on them: hand-worked tables, Simpson's paradox, the family levels, and the pools of a small
 * instance with their own false-discovery families.
 */
import { DEFAULT_STATISTICAL_RULES } from '../../projections/eval/trends.js';
import { DEFAULT_TRENDS_FDR_RULES } from '../../projections/eval/trends-false-discovery.js';
import { pooledTrends } from '../../projections/eval/trends-pooled.js';
import type { StatisticalTrendEntry } from '../../projections/eval/trends-statistical.js';
import { dropPower, guaranteedLevel, minimumDetectableDrop, runsToDetect } from '../../projections/stats/detectable-drop.js';
import { fisherOneSidedLess } from '../../projections/stats/fisher.js';
import { stratifiedDropTest } from '../../projections/stats/stratified-drop.js';

const stratum = (baselinePasses: number, baselineAttempts: number, recentPasses: number, recentAttempts: number) => ({ baselinePasses, baselineAttempts, recentPasses, recentAttempts });

describe('stratifiedDropTest', () => {
  it('one stratum: 15/15 then 0/5 by hand (E = 3.75, V = 5625/7600), near Fisher exact', () => {
    const r = stratifiedDropTest([stratum(15, 15, 0, 5)]);
    expect(r.z).toBeCloseTo((0 - 3.75 + 0.5) / Math.sqrt(5625 / 7600), 12);
    expect(r.p).toBeCloseTo(7.9e-5, 6);
    expect(r.p / fisherOneSidedLess(15, 0, 0, 5)).toBeGreaterThan(0.8);
    expect(r.p / fisherOneSidedLess(15, 0, 0, 5)).toBeLessThan(1.5);
    expect(r.difference).toBe(-1);
  });

  it('keeps the pairing: a mix shift between an easy and a hard test is no drop (Simpson)', () => {
    // Easy test 90/100 then 9/10, hard test 1/10 then 10/100: crude 83% -> 17%, within each test nothing moves.
    const strata = [stratum(90, 100, 9, 10), stratum(1, 10, 10, 100)];
    const crude = stratifiedDropTest([stratum(91, 110, 19, 110)]);
    expect(crude.p).toBeLessThan(1e-10);
    const pooled = stratifiedDropTest(strata);
    expect(pooled.p).toBeGreaterThan(0.3);
    expect(Math.abs(pooled.difference!)).toBeLessThan(0.01);
  });

  it('has no information without both windows or without variation: p = 1', () => {
    expect(stratifiedDropTest([stratum(3, 3, 0, 0)])).toMatchObject({ p: 1, z: null, strata: 0 });
    expect(stratifiedDropTest([stratum(5, 5, 2, 2)])).toMatchObject({ p: 1, z: null, strata: 1 });
  });
});

describe('power and minimum detectable drop', () => {
  it('levels a flag must meet: alpha, q/m (BH), q/(m H(m)) (BY)', () => {
    expect(guaranteedLevel('none', 0.05, 100)).toBe(0.05);
    expect(guaranteedLevel('bh', 0.05, 40)).toBeCloseTo(0.00125, 15);
    expect(guaranteedLevel('by', 0.05, 3)).toBeCloseTo(0.05 / (3 * (1 + 1 / 2 + 1 / 3)), 15);
  });

  it('the MDE has the target power, shrinks with more data and is null when no drop is detectable', () => {
    const pool = Array.from({ length: 99 }, (_, k) => stratum(10 + (k % 5), 15, 4, 5));
    const mde = minimumDetectableDrop(pool, 0.00125, 0.8)!;
    expect(dropPower(pool, mde, 0.00125)).toBeCloseTo(0.8, 3);
    expect(dropPower(pool, mde * 0.9, 0.00125)).toBeLessThan(0.8);
    const bigger = minimumDetectableDrop([...pool, ...pool], 0.00125, 0.8)!;
    expect(bigger).toBeLessThan(mde);
    // One series of 15 + 5 single outcomes: even 100% -> 0% (p ~ 8e-5) is not a flag at q/m for m = 792.
    expect(minimumDetectableDrop([stratum(15, 15, 5, 5)], 0.05 / 792, 0.8)).toBeNull();
    expect(minimumDetectableDrop([stratum(15, 15, 5, 5)], 0.05, 0.8)).not.toBeNull();
  });

  it('a drop sustained for j of the R recent runs shows as j/R of it: runs to detect = ceil(R MDE / d)', () => {
    expect(runsToDetect(0.09, 0.15, 5)).toBe(3);
    expect(runsToDetect(0.15, 0.15, 5)).toBe(5);
    expect(runsToDetect(0.2, 0.15, 5)).toBeNull();
    expect(runsToDetect(null, 0.5, 5)).toBeNull();
  });
});

describe('pooledTrends', () => {
  const entry = (model: string, test: string, base: [number, number], recent: [number, number], latest: string): StatisticalTrendEntry => ({
    model, format: 'tool', test, label: 'stable_pass', runs: 20, latest_run: latest, latest_run_at: `2026-01-0${latest.slice(-1)}T00:00:00.000Z`,
    baseline: { runs: 15, attempts: base[1], passes: base[0], pass_rate: base[0] / base[1] },
    recent: { runs: 5, attempts: recent[1], passes: recent[0], pass_rate: recent[0] / recent[1] },
    p_regression: 0.5, p_improvement: 0.5, flip_rate: 0, entropy: 0, infra_errors: 0, latest_run_passed: true,
  });
  // Model a drops on every test; model b holds. Model c has no p (too few runs) and is left out.
  const tests = ['t1', 't2', 't3', 't4', 't5', 't6'];
  const entries = [
    ...tests.map((t) => entry('a', t, [14, 15], [1, 5], 'r1')),
    ...tests.map((t) => entry('b', t, [12, 15], [4, 5], 'r2')),
    { ...entry('c', 't1', [0, 0], [2, 2], 'r2'), p_regression: null, p_improvement: null },
  ];

  it('one pool per model (strata: its tests) and per test (strata: the models), q in their own families', () => {
    const { models, tests: byTest } = pooledTrends(entries, DEFAULT_STATISTICAL_RULES, DEFAULT_TRENDS_FDR_RULES);
    expect(models.map((p) => [p.model, p.strata, p.latest_run])).toEqual([['a', 6, 'r1'], ['b', 6, 'r2']]);
    expect(byTest).toHaveLength(6);
    const a = models[0]!;
    expect(a.p_regression).toBeCloseTo(stratifiedDropTest(tests.map(() => stratum(14, 15, 1, 5))).p, 15);
    // fdrFamily 'run': a and b have different newest runs, so each is a family of one (q = p).
    expect(a.q_regression).toBe(a.p_regression);
    expect(a.regression).toBe(true);
    expect(models[1]!.regression).toBe(false);
    expect(a.mde_regression).not.toBeNull();
    const all = pooledTrends(entries, DEFAULT_STATISTICAL_RULES, { ...DEFAULT_TRENDS_FDR_RULES, fdrFamily: 'all' }).models;
    expect(all[0]!.q_regression!).toBeCloseTo(Math.min(a.p_regression! * 2, models[1]!.p_regression!), 15);
  });

  it("'none' flags p < alpha and reports the MDE at alpha", () => {
    const none = pooledTrends(entries, DEFAULT_STATISTICAL_RULES, { ...DEFAULT_TRENDS_FDR_RULES, fdrMethod: 'none' });
    expect(none.tests.every((p) => p.q_regression === p.p_regression)).toBe(true);
    const bh = pooledTrends(entries, DEFAULT_STATISTICAL_RULES, DEFAULT_TRENDS_FDR_RULES);
    // Six test pools in one family: the BH MDE at q/6 is larger than the uncorrected one at alpha.
    expect(bh.tests[0]!.mde_regression!).toBeGreaterThan(none.tests[0]!.mde_regression!);
  });
});
