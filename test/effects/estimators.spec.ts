/** The effect estimators on hand-worked numbers (each expected value is worked out in the comment above it). */
import type { StratumTable } from '../../projections/effects/arm-counts.js';
import { mantelHaenszelRiskDifference } from '../../projections/effects/mantel-haenszel.js';
import { addIpwOutcome, emptyIpwSums, selfNormalisedIpw } from '../../projections/effects/snipw.js';
import { pooledLeaveOneOut, stratifiedLeaveOneOut } from '../../projections/effects/stratified-loo.js';
import { fisherTwoSided } from '../../projections/stats/fisher.js';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { normalQuantile, zForLevel } from '../../projections/stats/normal-quantile.js';

const table = (key: string, a: number, n1: number, c: number, n0: number): StratumTable => ({
  key,
  treated: { n: n1, passes: a },
  control: { n: n0, passes: c },
});

describe('normal quantile', () => {
  it('gives the familiar z values', () => {
    expect(zForLevel(0.95)).toBeCloseTo(1.959964, 6);
    expect(zForLevel(0.9)).toBeCloseTo(1.644854, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
    expect(() => normalQuantile(1)).toThrow(/p must be in/);
    expect(() => normalQuantile(0)).toThrow(/p must be in/);
  });

  // Over a grid from 1e-10 to 1 - 1e-10 the quantile inverts the CDF (an independent implementation) and is odd.
  it('inverts the normal CDF over a grid of probabilities', () => {
    const grid = [1e-10, 1e-6, 1e-3, ...Array.from({ length: 99 }, (_, i) => (i + 1) / 100), 1 - 1e-3, 1 - 1e-6];
    for (const p of grid) {
      const z = normalQuantile(p);
      expect(normalCdf(z, 0, 1)).toBeCloseTo(p, 12);
      expect(normalQuantile(1 - p) + z).toBeCloseTo(0, 6);
    }
  });
});

describe('Mantel-Haenszel risk difference with Sato variance', () => {
  // One stratum is the plain difference, and Sato's variance is then the binomial one:
  // 0.8 - 0.6 = 0.2; 0.8*0.2/10 + 0.6*0.4/5 = 0.064.
  it('reduces to the difference and binomial variance in one stratum', () => {
    const e = mantelHaenszelRiskDifference([table('s1', 8, 10, 3, 5)], 1.96);
    expect(e.effect).toBeCloseTo(0.2, 12);
    expect(e.se! ** 2).toBeCloseTo(0.064, 12);
    expect(e.lower).toBeCloseTo(0.2 - 1.96 * Math.sqrt(0.064), 12);
  });

  // s1: (8*5 - 3*10)/15 = 2/3, weight 50/15, P = (100*3 - 25*8 + 50*(-5)/2)/225 = -25/225, Q = (8*2 + 3*2)/30 = 22/30
  // s2: (2*10 - 1*10)/20 = 0.5, weight 5,     P = (100*1 - 100*2 + 0)/400 = -0.25,          Q = (2*9 + 1*8)/40 = 0.65
  // RD = (2/3 + 0.5)/(10/3 + 5) = 0.14; Var = (0.14*(-1/9 - 0.25) + 22/30 + 0.65)/(25/3)^2 = 0.0191920
  it('weights strata by n1 n0 / N and uses Sato variance', () => {
    const e = mantelHaenszelRiskDifference([table('s1', 8, 10, 3, 5), table('s2', 2, 10, 1, 10)], 1.96);
    expect(e.effect).toBeCloseTo(0.14, 12);
    expect(e.se! ** 2).toBeCloseTo((0.14 * (-1 / 9 - 0.25) + 22 / 30 + 0.65) / (25 / 3) ** 2, 12);
    expect(e.se! ** 2).toBeCloseTo(0.019192, 6);
    expect(e.informativeStrata).toBe(2);
  });

  it('ignores a stratum with one arm only, and has no estimate without any two-armed stratum', () => {
    const withOneArmed = mantelHaenszelRiskDifference([table('s1', 8, 10, 3, 5), table('s3', 5, 5, 0, 0)], 1.96);
    expect(withOneArmed.effect).toBeCloseTo(0.2, 12);
    expect(withOneArmed.informativeStrata).toBe(1);
    expect(mantelHaenszelRiskDifference([table('s3', 5, 5, 0, 0)], 1.96).effect).toBeNull();
  });
});

describe('Fisher exact, two-sided', () => {
  // The lady tasting tea: [[3, 1], [1, 3]] has p = 2 * (1 + 16) / 70 = 17/35.
  it('matches the classic tables', () => {
    expect(fisherTwoSided(3, 1, 1, 3)).toBeCloseTo(17 / 35, 10);
    expect(fisherTwoSided(4, 0, 0, 4)).toBeCloseTo(2 / 70, 10);
    expect(fisherTwoSided(2, 2, 2, 2)).toBeCloseTo(1, 10);
    expect(fisherTwoSided(0, 0, 0, 0)).toBe(1);
  });
});

describe('leave-one-out', () => {
  // A (easy tasks): injected 10/10, not 44/50; B (hard tasks): injected 25/50, not 4/10. The lesson helps in both,
  // but it is injected mostly on hard tasks: pooled 35/60 - 48/60 = -0.21667 (wrong sign).
  // Baselines 54/60 = 0.9 and 29/60; residual sums: injected 1 + 0.8333, not -1 - 0.8333; means over 60 each:
  // 0.030556 - (-0.030556) = 0.061111.
  const simpson = [table('easy', 10, 10, 44, 50), table('hard', 25, 50, 4, 10)];

  it('naive pooled LOO gets the sign wrong where baselines differ; stratified residuals get it right', () => {
    expect(pooledLeaveOneOut(simpson, 1.96).effect).toBeCloseTo(35 / 60 - 48 / 60, 12);
    expect(stratifiedLeaveOneOut(simpson, 1.96).effect).toBeCloseTo(0.061111, 6);
  });

  it('is the plain difference in one stratum, and has no estimate with an empty arm', () => {
    expect(stratifiedLeaveOneOut([table('s', 8, 10, 3, 5)], 1.96).effect).toBeCloseTo(0.2, 12);
    expect(stratifiedLeaveOneOut([table('s', 8, 10, 0, 0)], 1.96).effect).toBeNull();
  });
});

describe('self-normalised IPW', () => {
  // treated: p 0.5 passed (w 2), p 0.25 failed (w 4): mu1 = 2/6; control: p 0.5 passed (w 2), p 0.75 passed
  // (w 4): mu0 = 1. Effect -2/3. Var mu1 = (4 (2/3)^2 + 16 (1/3)^2)/36 = 0.098765; var mu0 = 0.
  it('weights by 1/p and 1/(1-p) and normalises', () => {
    const sums = emptyIpwSums();
    addIpwOutcome(sums, true, 0.5, true, 0.01);
    addIpwOutcome(sums, true, 0.25, false, 0.01);
    addIpwOutcome(sums, false, 0.5, true, 0.01);
    addIpwOutcome(sums, false, 0.75, true, 0.01);
    const e = selfNormalisedIpw(sums, 1.96);
    expect(e.effect).toBeCloseTo(-2 / 3, 12);
    expect(e.se! ** 2).toBeCloseTo(3.5556 / 36, 4);
    expect(sums.clipped).toBe(0);
  });

  it('leaves out propensities outside [clip, 1 - clip] and counts them', () => {
    const sums = emptyIpwSums();
    addIpwOutcome(sums, true, 0.001, true, 0.01);
    addIpwOutcome(sums, false, 0.999, false, 0.01);
    addIpwOutcome(sums, true, 0, true, 0);
    addIpwOutcome(sums, true, 0.5, true, 0.01);
    addIpwOutcome(sums, false, 0.5, false, 0.01);
    expect(sums.clipped).toBe(3);
    expect(sums.n).toBe(2);
    expect(sums.treated.w).toBeCloseTo(2, 12);
    expect(sums.control.w).toBeCloseTo(2, 12);
    expect(selfNormalisedIpw(sums, 1.96).effect).toBeCloseTo(1, 12);
  });
});
