/**
 * Power and the minimum detectable drop (MDE) of the stratified drop test (stratified-drop.ts; one stratum
 * for a single series) with the data at hand: each stratum keeps its baseline attempts n_b, its baseline pass
 * rate p (the estimate) and its recent attempts n_r. A drop d moves each stratum's recent rate to
 * q = max(0, p - d). Then, with w = n_b n_r / N,
 *
 *   shift = sum w (p - q)                                         (expected sum E - sum c)
 *   V0    = sum n_b n_r M (N - M) / (N^2 (N - 1)),  M = n_b p + n_r q   (null variance at the expected margins)
 *   V1    = sum w ((n_b / N) q (1 - q) + (n_r / N) p (1 - p))     (variance of c - E under the drop)
 *   power = Phi((shift - 1/2 - z_{1-level} sqrt(V0)) / sqrt(V1))
 *
 * The MDE is the smallest d with power >= the target (bisection; power grows with d); null when even the
 * largest possible drop (every stratum to 0) does not reach it: the data at hand cannot show any drop.
 * A drop sustained for j of the R recent runs moves the recent rate by about d j / R, so it is detected
 * (at that power) from run ceil(R MDE / d) after it starts (`runsToDetect`).
 * The level is the one a flag must meet: alpha uncorrected; under false-discovery control, q / m for
 * Benjamini–Hochberg (a p at most q / m is flagged whatever the other m - 1 p-values are) and
 * q / (m H(m)) for Benjamini–Yekutieli, so the MDE is an honest bound for the corrected label. Pure.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { harmonicNumber } from './false-discovery.js';
import { normalQuantile } from './normal-quantile.js';
import type { DropStratum } from './stratified-drop.js';

export type Correction = 'none' | 'bh' | 'by';

/** The per-hypothesis level at which a flag is certain: alpha, q / m (BH) or q / (m H(m)) (BY). */
export function guaranteedLevel(correction: Correction, level: number, familySize: number): number {
  if (correction === 'none' || familySize <= 1) return level;
  return correction === 'bh' ? level / familySize : level / (familySize * harmonicNumber(familySize));
}

/** Power of the one-sided stratified drop test at `level` against a drop `drop` on every stratum. */
export function dropPower(strata: readonly DropStratum[], drop: number, level: number): number {
  let shift = 0;
  let v0 = 0;
  let v1 = 0;
  for (const s of strata) {
    const nb = s.baselineAttempts;
    const nr = s.recentAttempts;
    if (nb === 0 || nr === 0) continue;
    const total = nb + nr;
    const p = s.baselinePasses / nb;
    const q = Math.max(0, p - drop);
    const w = (nb * nr) / total;
    const passes = nb * p + nr * q;
    shift += w * (p - q);
    v0 += (nb * nr * passes * (total - passes)) / (total * total * (total - 1));
    v1 += w * ((nb / total) * q * (1 - q) + (nr / total) * p * (1 - p));
  }
  if (shift <= 0.5) return 0;
  const z = normalQuantile(1 - level);
  // A drop to certainty (every q = 0 and p = 1) has no variance left: detected exactly when the shift clears the bar.
  if (v1 === 0) return shift - 0.5 >= z * Math.sqrt(v0) ? 1 : 0;
  return normalCdf((shift - 0.5 - z * Math.sqrt(v0)) / Math.sqrt(v1), 0, 1);
}

/** The smallest drop detected with probability >= `power` at `level`; null when no drop is. */
export function minimumDetectableDrop(strata: readonly DropStratum[], level: number, power: number): number | null {
  let largest = 0;
  for (const s of strata) if (s.baselineAttempts > 0 && s.recentAttempts > 0) largest = Math.max(largest, s.baselinePasses / s.baselineAttempts);
  if (largest === 0 || dropPower(strata, largest, level) < power) return null;
  let low = 0;
  let high = largest;
  for (let i = 0; i < 40 && high - low > 1e-4; i++) {
    const mid = (low + high) / 2;
    if (dropPower(strata, mid, level) >= power) high = mid;
    else low = mid;
  }
  return high;
}

/** After how many of the `recentRuns` runs a sustained `drop` is detected, given the MDE; null: not within them. */
export function runsToDetect(mde: number | null, drop: number, recentRuns: number): number | null {
  if (mde === null || !(drop > 0)) return null;
  const runs = Math.max(1, Math.ceil((recentRuns * mde) / drop - 1e-9));
  return runs <= recentRuns ? runs : null;
}
