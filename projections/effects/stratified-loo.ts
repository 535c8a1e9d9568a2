/**
 * Leave-one-out on residuals: each outcome minus its stratum's baseline (the stratum's pass rate over every
 * outcome the lesson matched there, injected or not), then the mean residual of the injected minus that of the
 * rest. Category baselines far apart then no longer pass for a lesson effect (Simpson's paradox of naive LOO).
 * Observational: "not injected" mixes every reason (cap, run holdout, coin), so it is labelled as such.
 *
 * Within one stratum this is the plain difference; over strata it weights each stratum's difference by
 * n1 n0 / N (times the arms' sizes), so it shrinks towards 0 where the injected share varies a lot across
 * strata; its sign is the point. SE: the residuals' sample variances over the arm sizes.
 */
import { NO_ESTIMATE, withInterval, type IntervalEstimate, type StratumTable } from './arm-counts.js';

interface ResidualSums {
  n: number;
  sum: number;
  sumSquares: number;
}

function addArm(sums: ResidualSums, n: number, passes: number, baseline: number): void {
  sums.n += n;
  sums.sum += passes - n * baseline;
  sums.sumSquares += passes * (1 - baseline) ** 2 + (n - passes) * baseline ** 2;
}

function varianceOfMean({ n, sum, sumSquares }: ResidualSums): number {
  if (n < 2) return 0;
  return Math.max(0, sumSquares - (sum * sum) / n) / (n - 1) / n;
}

export function stratifiedLeaveOneOut(strata: readonly StratumTable[], z: number): IntervalEstimate {
  const treated: ResidualSums = { n: 0, sum: 0, sumSquares: 0 };
  const control: ResidualSums = { n: 0, sum: 0, sumSquares: 0 };
  for (const s of strata) {
    const n = s.treated.n + s.control.n;
    if (n === 0) continue;
    const baseline = (s.treated.passes + s.control.passes) / n;
    addArm(treated, s.treated.n, s.treated.passes, baseline);
    addArm(control, s.control.n, s.control.passes, baseline);
  }
  if (treated.n === 0 || control.n === 0) return NO_ESTIMATE;
  const effect = treated.sum / treated.n - control.sum / control.n;
  return withInterval(effect, varianceOfMean(treated) + varianceOfMean(control), z);
}

/** Naive pooled LOO (pass rate injected minus not, strata ignored): shown to say how far stratifying moved it. */
export function pooledLeaveOneOut(strata: readonly StratumTable[], z: number): IntervalEstimate {
  let n1 = 0, a = 0, n0 = 0, c = 0;
  for (const s of strata) {
    n1 += s.treated.n;
    a += s.treated.passes;
    n0 += s.control.n;
    c += s.control.passes;
  }
  if (n1 === 0 || n0 === 0) return NO_ESTIMATE;
  const p1 = a / n1;
  const p0 = c / n0;
  return withInterval(p1 - p0, (p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0, z);
}
