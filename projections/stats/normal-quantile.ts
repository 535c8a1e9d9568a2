/**
 * The standard normal quantile (inverse CDF) from @stdlib, and the z of a central interval. Outside (0, 1) it
 * throws rather than answer NaN or an infinity, so a bad confidence level is an error, not an interval.
 */
import quantile from '@stdlib/stats-base-dists-normal-quantile';

export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  return quantile(p, 0, 1);
}

/** The z of a central interval of mass `level` (0.95 -> 1.96). */
export function zForLevel(level: number): number {
  return normalQuantile(1 - (1 - level) / 2);
}
