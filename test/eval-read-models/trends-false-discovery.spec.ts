/**
 * False-discovery control over the statistical trend labels: a hand-worked family (BH and BY q-values by hand),
 * 'none' as the uncorrected labels, families per run vs the whole instance, and an A/A check on seeded
 * stationary series (no effect anywhere), where the uncorrected rule flags most families and BH few.
 */
import { DEFAULT_STATISTICAL_RULES, type StatSeriesDoc } from '../../projections/eval/trends.js';
import { classifyStatSeries, type StatisticalTrendEntry } from '../../projections/eval/trends-statistical.js';
import {
  correctTrendLabels,
  DEFAULT_TRENDS_FDR_RULES,
  resolveTrendsFdrRules,
  type TrendsFdrRules,
} from '../../projections/eval/trends-false-discovery.js';

const rules = DEFAULT_STATISTICAL_RULES;
const bh: TrendsFdrRules = { fdrMethod: 'bh', fdrLevel: 0.05, fdrFamily: 'run', mdePower: 0.8 };

function entry(test: string, pRegression: number | null, extra: Partial<StatisticalTrendEntry> = {}): StatisticalTrendEntry {
  return {
    model: 'm',
    format: 'tool',
    test,
    label: pRegression !== null && pRegression < 0.05 ? 'regression' : 'stable_pass',
    runs: 20,
    latest_run: 'r1',
    latest_run_at: '2026-01-01T00:00:00.000Z',
    baseline: { runs: 15, attempts: 15, passes: 15, pass_rate: 1 },
    recent: { runs: 5, attempts: 5, passes: 3, pass_rate: 0.6 },
    p_regression: pRegression,
    p_improvement: pRegression === null ? null : 1,
    flip_rate: 0.1,
    entropy: 0.2,
    infra_errors: 0,
    latest_run_passed: true,
    ...extra,
  };
}

// One run's ten series. BH, m = 10, sorted p (rank): 0.001 (1) 0.008 (2) 0.012 (3) 0.030 (4) 0.041 (5) 0.2 ...
// p·m/rank: 0.01, 0.04, 0.04, 0.075, 0.082, 0.333, 0.714, 0.875, 1, 1; step-up minima from the top give the
// q-values 0.01, 0.04, 0.04, 0.075, 0.082, ... : three regressions stand at 0.05, the 0.030 and 0.041 fall through.
const family = [
  entry('a', 0.001),
  entry('b', 0.008),
  entry('c', 0.012),
  entry('d', 0.03, { flip_rate: 0.5, entropy: 1 }), // falls through to flaky
  entry('e', 0.041, { latest_run_passed: false }), // falls through to stable_fail
  entry('f', 0.2),
  entry('g', 0.5),
  entry('h', 0.7),
  entry('i', 0.9),
  entry('j', 1),
];

describe('statistical trends under false-discovery control', () => {
  it('BH over one run keeps the strong regressions and sends p < alpha ones above q back to flaky / stable', () => {
    const out = correctTrendLabels(family, rules, bh);
    expect(out.map((e) => e.label)).toEqual([
      'regression', 'regression', 'regression', 'flaky', 'stable_fail',
      'stable_pass', 'stable_pass', 'stable_pass', 'stable_pass', 'stable_pass',
    ]);
    const q = out.map((e) => e.q_regression!);
    [0.01, 0.04, 0.04, 0.075, 0.082, 1 / 3, 5 / 7, 0.875, 1, 1].forEach((expected, i) => expect(q[i]).toBeCloseTo(expected, 10));
    expect(family.filter((e) => e.label === 'regression')).toHaveLength(5); // what p < alpha alone flags
    expect(out.every((e) => e.q_improvement === 1)).toBe(true);
  });

  it('BY divides by H(10) = 2.929: only the strongest regression stands', () => {
    const out = correctTrendLabels(family, rules, { ...bh, fdrMethod: 'by' });
    expect(out.filter((e) => e.label === 'regression').map((e) => e.test)).toEqual(['a']);
    expect(out[0]!.q_regression).toBeCloseTo(0.001 * 10 * 2.9289682539682538, 10);
  });

  it("'none' gives the uncorrected labels, with q = p", () => {
    const docs = aaFamily(mulberry32(7), 'r', 60);
    const classified = docs.map((d) => classifyStatSeries(d, rules));
    const out = correctTrendLabels(classified, rules, { ...bh, fdrMethod: 'none' });
    expect(out.map((e) => e.label)).toEqual(classified.map((e) => e.label));
    expect(out.map((e) => [e.q_regression, e.q_improvement])).toEqual(classified.map((e) => [e.p_regression, e.p_improvement]));
  });

  it('null p-values get null q-values and take no place in the family', () => {
    const out = correctTrendLabels([entry('x', null, { runs: 2, label: 'insufficient' }), entry('y', 0.04)], rules, bh);
    expect(out[0]).toMatchObject({ label: 'insufficient', q_regression: null, q_improvement: null });
    expect(out[1]).toMatchObject({ label: 'regression', q_regression: 0.04 }); // a family of one: q = p
  });

  it("'run' families are one run's series; 'all' is every series of the instance", () => {
    const other = entry('k', 0.04, { latest_run: 'r2' });
    const byRun = correctTrendLabels([...family, other], rules, bh);
    expect(byRun[10]).toMatchObject({ label: 'regression', q_regression: 0.04 });
    expect(byRun.slice(0, 10).map((e) => e.q_regression)).toEqual(correctTrendLabels(family, rules, bh).map((e) => e.q_regression));
    // m = 11: 0.04 ranks 5th (0.04·11/5 = 0.088), 0.041 6th (0.0752): q = 0.0752 > 0.05.
    const all = correctTrendLabels([...family, other], rules, { ...bh, fdrFamily: 'all' });
    expect(all[10]!.q_regression).toBeCloseTo((0.041 * 11) / 6, 10);
    expect(all[10]!.label).toBe('stable_pass');
  });

  it('the defaults are BH over one run at 0.05, and a rule set overrides them at the top level or in its block', () => {
    expect(resolveTrendsFdrRules(undefined)).toEqual(DEFAULT_TRENDS_FDR_RULES);
    expect(DEFAULT_TRENDS_FDR_RULES).toEqual(bh);
    expect(resolveTrendsFdrRules({ fdrMethod: 'none', window: 10 })).toEqual({ ...bh, fdrMethod: 'none' });
    expect(resolveTrendsFdrRules({ fdrLevel: 0.2, 'trends-fdr': { fdrLevel: 0.1, fdrFamily: 'all' } })).toEqual({ ...bh, fdrLevel: 0.1, fdrFamily: 'all' });
    expect(() => resolveTrendsFdrRules({ fdrMethod: 'holm' })).toThrow();
    expect(() => resolveTrendsFdrRules({ fdrLevel: 1 })).toThrow();
  });

  it('A/A: on stationary series p < alpha flags most run families, BH at 0.05 at most 5% + 2 SE of them', () => {
    // A family is one run's series in one direction (regressions, improvements): 200 runs x 2 directions.
    const random = mulberry32(20261207);
    const runs = 200;
    const families = 2 * runs;
    const raw = { families: 0, flags: 0 };
    const corrected = { families: 0, flags: 0 };
    const count = (tally: typeof raw, list: readonly StatisticalTrendEntry[]) => {
      for (const label of ['regression', 'improvement'] as const) {
        const flags = list.filter((e) => e.label === label).length;
        tally.flags += flags;
        if (flags > 0) tally.families += 1;
      }
    };
    for (let r = 0; r < runs; r += 1) {
      const classified = aaFamily(random, `f${r}-`, 50).map((d) => classifyStatSeries(d, rules));
      count(raw, classified);
      count(corrected, correctTrendLabels(classified, rules, bh));
    }
    const bound = 0.05 + 2 * Math.sqrt((0.05 * 0.95) / families);
    expect(raw.families / families).toBeGreaterThan(0.5);
    expect(raw.flags).toBeGreaterThan(5 * corrected.flags);
    expect(corrected.families / families).toBeLessThanOrEqual(bound);
  });
});

/** A seeded uniform generator (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` series of one suite run 20 times (the same runs for all): each test passes with its own fixed rate. */
function aaFamily(random: () => number, prefix: string, size: number): StatSeriesDoc[] {
  const docs: StatSeriesDoc[] = [];
  for (let s = 0; s < size; s += 1) {
    const rate = 0.2 + 0.6 * random();
    const runs = Array.from({ length: 20 }, (_, k) => {
      const run = 19 - k; // newest first
      let c = 0;
      for (let a = 0; a < 3; a += 1) if (random() < rate) c += 1;
      const time = new Date(Date.UTC(2026, 0, 1 + run)).toISOString();
      return { at: `${time}|${prefix}run${run}`, runId: `${prefix}run${run}`, n: 3, c, time };
    });
    docs.push({ kind: 'stat', model: 'm', format: 'tool', test: `${prefix}t${s}`, infraErrors: 0, runs, droppedUpTo: '' });
  }
  return docs;
}
