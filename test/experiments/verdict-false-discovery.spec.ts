/**
 * Experiment verdicts under false-discovery control: hand-worked BH q values per day and over all, the overall
 * and per-model families apart, 'none' as the uncorrected verdicts, the minimum detectable effect, and the data
 * an insufficient verdict needs (checked by simulation against Fisher's exact test the verdicts use).
 */
import { estimate, type Tally } from '../../projections/experiments/effect-estimate.js';
import { dataNeeded, outcomesPerWindow } from '../../projections/experiments/data-needed.js';
import { experimentRules } from '../../projections/experiments/experiment-rules.js';
import { correctVerdicts } from '../../projections/experiments/verdict-false-discovery.js';
import { fisherTwoSided } from '../../projections/stats/fisher.js';
import { forkRandom } from '../../bench/gen-history/random.js';

const tally = (before: [number, number], after: [number, number]): Tally => ({
  affectedBefore: { passed: before[0], failed: before[1] },
  affectedAfter: { passed: after[0], failed: after[1] },
  controlBefore: { passed: 0, failed: 0 },
  controlAfter: { passed: 0, failed: 0 },
});
const rules = experimentRules();
// An experiment whose overall estimate has the given p (the tally only feeds the MDE).
const experiment = (at: string, p: number, perModel: number[] = []) => {
  const e = { ...estimate(tally([10, 10], [15, 5]), 0.05), fisherP: p };
  return { at, overall: e, perModel: Object.fromEntries(perModel.map((pm, i) => [`m${i}`, { ...e, fisherP: pm }])) };
};

describe('correctVerdicts', () => {
  const day1 = '2026-03-01T10:00:00.000Z';
  const day2 = '2026-03-02T09:00:00.000Z';
  const list = [experiment(day1, 0.01, [0.001, 0.2]), experiment(day1, 0.02), experiment(day1, 0.04), experiment(day2, 0.03)];

  it("BH per day: day 1's p 0.01, 0.02, 0.04 give q 0.03, 0.03, 0.04; day 2 alone keeps q = p", () => {
    const out = correctVerdicts(list, rules);
    expect(out.map((e) => e.overall.q)).toEqual([0.03, 0.03, 0.04, 0.03].map((x) => expect.closeTo(x, 12)));
    expect(out.map((e) => e.overall.significant)).toEqual([true, true, true, true]);
    // Per-model verdicts are their own family: 0.001 and 0.2 -> q 0.002 and 0.2.
    expect(out[0]!.perModel.m0!.q).toBeCloseTo(0.002, 12);
    expect(out[0]!.perModel.m1).toMatchObject({ q: 0.2, significant: false });
    expect(list[0]!.overall.q).toBeUndefined(); // the input is left alone
  });

  it("over all experiments at q = 0.03: p 0.01..0.04 give q 0.04 each, none significant; 'none' keeps p < 0.05", () => {
    const all = correctVerdicts(list, { ...rules, verdictFdrFamily: 'all', verdictFdrLevel: 0.03 });
    expect(all.map((e) => e.overall.q)).toEqual([0.04, 0.04, 0.04, 0.04].map((x) => expect.closeTo(x, 12)));
    expect(all.every((e) => !e.overall.significant)).toBe(true);
    const none = correctVerdicts(list, { ...rules, verdictFdrMethod: 'none' });
    expect(none.map((e) => [e.overall.q, e.overall.significant])).toEqual([[0.01, true], [0.02, true], [0.04, true], [0.03, true]]);
  });

  it('reports the minimum detectable effect at the level a verdict must meet: larger when corrected', () => {
    const bh = correctVerdicts(list, rules)[0]!.overall.minimumDetectableEffect!;
    const none = correctVerdicts(list, { ...rules, verdictFdrMethod: 'none' })[0]!.overall.minimumDetectableEffect!;
    expect(none).toBeGreaterThan(0.2);
    expect(bh).toBeGreaterThan(none);
    expect(bh).toBeLessThanOrEqual(1);
  });
});

describe('data an insufficient verdict needs', () => {
  it('104 outcomes a window detect a 20-point change at 0.05 two-sided with power 0.8 (98 by the uncorrected formula)', () => {
    expect(outcomesPerWindow(rules)).toBe(104);
    // (z_0.975 + z_0.8)^2 * 2 * 0.25 / 0.2^2 = 98.1; the continuity correction adds the rest.
    expect(outcomesPerWindow({ ...rules, targetEffect: 0.1 })).toBeGreaterThan(4 * 98);
  });

  it('that many outcomes do detect it with Fisher exact in >= 75% of simulated experiments', () => {
    const n = outcomesPerWindow(rules);
    const random = forkRandom(3, 'power');
    let detected = 0;
    const draws = 400;
    for (let i = 0; i < draws; i++) {
      let before = 0;
      let after = 0;
      for (let k = 0; k < n; k++) {
        before += random.next() < 0.5 ? 1 : 0;
        after += random.next() < 0.3 ? 1 : 0;
      }
      if (fisherTwoSided(before, n - before, after, n - after) < 0.05) detected++;
    }
    expect(detected / draws).toBeGreaterThanOrEqual(0.75);
  });

  it('runs = the outcomes still lacking over the outcomes a run brings; none help a lesson that affects no test', () => {
    const counts = { affectedBefore: 30, affectedAfter: 4, minBefore: 2, minAfter: 2 };
    expect(dataNeeded(counts, 6, rules)).toEqual({ outcomesPerWindow: 104, moreBefore: 74, moreAfter: 100, runsBefore: 13, runsAfter: 17 });
    expect(dataNeeded(counts, 0, rules)).toMatchObject({ runsBefore: null, runsAfter: null });
  });
});
