/**
 * Self-normalised inverse propensity weighting over outcomes whose selection logged the lesson's propensity
 * p = P(injected) (Thompson inclusion x (1 - holdout rate)):
 *   mean if always injected  mu1 = sum(y I / p) / sum(I / p)
 *   mean if never injected   mu0 = sum(y (1 - I) / (1 - p)) / sum((1 - I) / (1 - p))
 * Propensities are clipped to [clip, 1 - clip] first (counted), or a few tiny ones carry the whole estimate.
 * Each arm keeps four sums (w, w y, w^2, w^2 y) so outcomes fold in one at a time; the variance of a
 * self-normalised mean is sum(w^2 (y - mu)^2) / sum(w)^2 (the delta method; y is 0 or 1, so y^2 = y).
 */
import { NO_ESTIMATE, withInterval, type IntervalEstimate } from './arm-counts.js';

export interface WeightSums {
  w: number;
  wy: number;
  w2: number;
  w2y: number;
}

export interface IpwSums {
  treated: WeightSums;
  control: WeightSums;
  n: number;
  /** Of the n, the injected ones. */
  injected: number;
  clipped: number;
}

export const emptyIpwSums = (): IpwSums => ({
  treated: { w: 0, wy: 0, w2: 0, w2y: 0 },
  control: { w: 0, wy: 0, w2: 0, w2y: 0 },
  n: 0,
  injected: 0,
  clipped: 0,
});

/** Folds one outcome in: `injected` with logged propensity `propensity`, passed or not. */
export function addIpwOutcome(sums: IpwSums, injected: boolean, propensity: number, passed: boolean, clip: number): void {
  const clamped = Math.min(1 - clip, Math.max(clip, propensity));
  if (clamped !== propensity) sums.clipped += 1;
  const w = injected ? 1 / clamped : 1 / (1 - clamped);
  const arm = injected ? sums.treated : sums.control;
  const y = passed ? 1 : 0;
  arm.w += w;
  arm.wy += w * y;
  arm.w2 += w * w;
  arm.w2y += w * w * y;
  sums.n += 1;
  if (injected) sums.injected += 1;
}

function meanAndVariance(arm: WeightSums): { mean: number; variance: number } {
  const mean = arm.wy / arm.w;
  return { mean, variance: (arm.w2y * (1 - 2 * mean) + mean * mean * arm.w2) / (arm.w * arm.w) };
}

export function selfNormalisedIpw(sums: IpwSums, z: number): IntervalEstimate {
  if (sums.treated.w === 0 || sums.control.w === 0) return NO_ESTIMATE;
  const treated = meanAndVariance(sums.treated);
  const control = meanAndVariance(sums.control);
  return withInterval(treated.mean - control.mean, treated.variance + control.variance, z);
}
