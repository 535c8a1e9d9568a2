/**
 * Self-normalised inverse propensity weighting over outcomes whose selection logged the lesson's propensity
 * p = P(injected) (Thompson inclusion x (1 - holdout rate)):
 *   mean if always injected  mu1 = sum(y I / p) / sum(I / p)
 *   mean if never injected   mu0 = sum(y (1 - I) / (1 - p)) / sum((1 - I) / (1 - p))
 * Outcomes whose propensity is outside [clip, 1 - clip] are left out (trimmed, and counted as `clipped`), so both
 * means are over the same outcomes and the estimand is the policy contrast over them (Crump, Hotz, Imbens & Mitnik
 * 2009). Clipping the propensity into the bounds instead (winsorising) reweights only the rare injected outcomes of
 * tiny propensity, so mu1 and mu0 average over different mixes of outcomes and their difference is no contrast.
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
  /** Outcomes left out: their propensity was outside [clip, 1 - clip] (not in n). */
  clipped: number;
}

export const emptyIpwSums = (): IpwSums => ({
  treated: { w: 0, wy: 0, w2: 0, w2y: 0 },
  control: { w: 0, wy: 0, w2: 0, w2y: 0 },
  n: 0,
  injected: 0,
  clipped: 0,
});

/** Whether a logged propensity is within the bounds the weighting keeps. */
export function withinPropensityBounds(propensity: number, clip: number): boolean {
  return propensity >= clip && propensity <= 1 - clip && propensity > 0 && propensity < 1;
}

/** Folds one outcome in: `injected` with logged propensity `propensity`, passed or not (left out, counted, outside the bounds). */
export function addIpwOutcome(sums: IpwSums, injected: boolean, propensity: number, passed: boolean, clip: number): void {
  if (!withinPropensityBounds(propensity, clip)) {
    sums.clipped += 1;
    return;
  }
  const w = injected ? 1 / propensity : 1 / (1 - propensity);
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
