/**
 * The Mantel-Haenszel risk difference over strata with Sato's (1989) variance, which stays valid when strata
 * are sparse (many strata, few outcomes each), unlike the sum of per-stratum binomial variances. With, in
 * stratum k, a = treated passes of n1, c = control passes of n0, N = n1 + n0:
 *
 *   RD = sum((a n0 - c n1) / N) / sum(n1 n0 / N)
 *   P  = (n1^2 c - n0^2 a + n1 n0 (n0 - n1) / 2) / N^2
 *   Q  = (a (n0 - c) + c (n1 - a)) / (2 N)
 *   Var(RD) = (RD sum(P) + sum(Q)) / sum(n1 n0 / N)^2
 *
 * (Rothman, Greenland & Lash, Modern Epidemiology, 3rd ed., ch. 15). A stratum missing an arm has weight 0.
 */
import { NO_ESTIMATE, withInterval, type IntervalEstimate, type StratumTable } from './arm-counts.js';

export interface MantelHaenszelEstimate extends IntervalEstimate {
  /** Strata holding both arms (the only ones that count). */
  informativeStrata: number;
}

export function mantelHaenszelRiskDifference(strata: readonly StratumTable[], z: number): MantelHaenszelEstimate {
  let numerator = 0;
  let weights = 0;
  let sumP = 0;
  let sumQ = 0;
  let informativeStrata = 0;
  for (const { treated, control } of strata) {
    const n1 = treated.n;
    const n0 = control.n;
    if (n1 === 0 || n0 === 0) continue;
    const a = treated.passes;
    const c = control.passes;
    const total = n1 + n0;
    informativeStrata += 1;
    numerator += (a * n0 - c * n1) / total;
    weights += (n1 * n0) / total;
    sumP += (n1 * n1 * c - n0 * n0 * a + (n1 * n0 * (n0 - n1)) / 2) / (total * total);
    sumQ += (a * (n0 - c) + c * (n1 - a)) / (2 * total);
  }
  if (weights === 0) return { ...NO_ESTIMATE, informativeStrata };
  const effect = numerator / weights;
  return { ...withInterval(effect, (effect * sumP + sumQ) / (weights * weights), z), informativeStrata };
}
