/**
 * The sampler against the Beta CDF: one-sample Kolmogorov-Smirnov for a few (alpha, beta), at the 1% level
 * (critical D = 1.628 / sqrt(n)). A control shows the test has teeth: draws from Beta(2, 5) are rejected
 * against the CDF of Beta(5, 2). Seeds are fixed, so the outcome is the same on every run.
 */
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import { seededBetaSampler, seedWords } from '../../src/bandit/beta-sampler.js';

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

describe('seeded Beta sampler (@stdlib/random-base-beta)', () => {
  it.each([
    [1, 1],
    [2, 5],
    [0.5, 0.5],
    [30, 10],
    [3.7, 1.2],
  ])('Beta(%d, %d): KS statistic below the 1%% critical value', (alpha, beta) => {
    const draw = seededBetaSampler(`ks-${alpha}-${beta}`);
    const samples = Array.from({ length: N }, () => draw(alpha, beta));
    expect(samples.every((x) => x >= 0 && x <= 1)).toBe(true);
    const d = ksStatistic(samples, (x) => betaCdf(x, alpha, beta));
    expect(d).toBeLessThan(CRITICAL_1_PERCENT);
  });

  it('the KS test rejects draws from the wrong distribution (control)', () => {
    const draw = seededBetaSampler('ks-control');
    const samples = Array.from({ length: N }, () => draw(2, 5));
    expect(ksStatistic(samples, (x) => betaCdf(x, 5, 2))).toBeGreaterThan(CRITICAL_1_PERCENT);
  });

  it('the same seed gives the same draws; another seed other draws', () => {
    const a = seededBetaSampler('seed-1');
    const b = seededBetaSampler('seed-1');
    const c = seededBetaSampler('seed-2');
    const first = Array.from({ length: 5 }, () => a(2, 3));
    expect(Array.from({ length: 5 }, () => b(2, 3))).toEqual(first);
    expect(Array.from({ length: 5 }, () => c(2, 3))).not.toEqual(first);
    expect(seedWords('seed-1')).toHaveLength(4);
  });
});
