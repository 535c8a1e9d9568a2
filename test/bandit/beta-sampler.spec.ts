/**
 * Both seeded Beta samplers (the selection's @stdlib one and the inclusion Monte Carlo's fast one) against the Beta CDF: one-sample Kolmogorov-Smirnov for a few (alpha, beta), at the 1% level
 * (critical D = 1.628 / sqrt(n)). A control shows the test has teeth: draws from Beta(2, 5) are rejected
 * against the CDF of Beta(5, 2). Seeds are fixed, so the outcome is the same on every run.
 */
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import { seededBetaSampler, seedWords, type BetaDraw } from '../../src/bandit/beta-sampler.js';
import { fastBetaSampler } from '../../src/bandit/holdout/fast-beta-sampler.js';

function ksStatistic(samples: number[], cdf: (x: number) => number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  });
  return d;
}

const N = 4000;
const CRITICAL_1_PERCENT = 1.628 / Math.sqrt(N);

const SAMPLERS: [string, (seed: string) => BetaDraw][] = [
  ['@stdlib/random-base-beta (selection)', seededBetaSampler],
  ['xoshiro128** with Marsaglia-Tsang gammas (inclusion Monte Carlo)', fastBetaSampler],
];

describe.each(SAMPLERS)('seeded Beta sampler: %s', (_name, sampler) => {
  it.each([
    [1, 1],
    [2, 5],
    [0.5, 0.5],
    [30, 10],
    [3.7, 1.2],
    [0.2, 3],
    [400, 250],
  ])('Beta(%d, %d): KS statistic below the 1%% critical value', (alpha, beta) => {
    const draw = sampler(`ks-${alpha}-${beta}`);
    const samples = Array.from({ length: N }, () => draw(alpha, beta));
    expect(samples.every((x) => x >= 0 && x <= 1)).toBe(true);
    const d = ksStatistic(samples, (x) => betaCdf(x, alpha, beta));
    expect(d).toBeLessThan(CRITICAL_1_PERCENT);
  });

  it('the KS test rejects draws from the wrong distribution (control)', () => {
    const draw = sampler('ks-control');
    const samples = Array.from({ length: N }, () => draw(2, 5));
    expect(ksStatistic(samples, (x) => betaCdf(x, 5, 2))).toBeGreaterThan(CRITICAL_1_PERCENT);
  });

  it('the same seed gives the same draws; another seed other draws', () => {
    const a = sampler('seed-1');
    const b = sampler('seed-1');
    const c = sampler('seed-2');
    const first = Array.from({ length: 5 }, () => a(2, 3));
    expect(Array.from({ length: 5 }, () => b(2, 3))).toEqual(first);
    expect(Array.from({ length: 5 }, () => c(2, 3))).not.toEqual(first);
    expect(seedWords('seed-1')).toHaveLength(4);
  });
});
