/**
 * A one-sided Cochran–Mantel–Haenszel test for a drop: is the recent pass rate below the baseline's, pooled over
 * strata that each compare their own baseline with their own recent outcomes (a model over its tests, a test
 * over its models)? Pairing is kept: a stratum's recent outcomes are only compared with the same stratum's
 * baseline, so strata with different base rates (easy and hard tests) do not mix. With, in stratum k, baseline
 * passes a of n_b, recent passes c of n_r, N = n_b + n_r and m = a + c:
 *
 *   E_k = n_r m / N,   V_k = n_b n_r m (N - m) / (N^2 (N - 1))      (hypergeometric, margins fixed)
 *   Z   = (sum c - sum E + 1/2) / sqrt(sum V),   p = Phi(Z)          (continuity-corrected lower tail)
 *
 * and the Mantel–Haenszel risk difference (recent minus baseline) sum((c n_b - a n_r) / N) / sum(n_b n_r / N).
 * With one stratum this is the continuity-corrected chi-square test, close to Fisher's one-sided exact p.
 * Pure.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

export interface DropStratum {
  baselineAttempts: number;
  baselinePasses: number;
  recentAttempts: number;
  recentPasses: number;
}

export interface StratifiedDropTest {
  /** One-sided p of "recent below baseline"; 1 when no stratum carries information. */
  p: number;
  z: number | null;
  /** Mantel–Haenszel risk difference, recent minus baseline (negative: a drop); null without information. */
  difference: number | null;
  /** Strata with both a baseline and a recent outcome. */
  strata: number;
}

export function stratifiedDropTest(strata: readonly DropStratum[]): StratifiedDropTest {
  let observed = 0;
  let expected = 0;
  let variance = 0;
  let numerator = 0;
  let weights = 0;
  let informative = 0;
  for (const s of strata) {
    const nb = s.baselineAttempts;
    const nr = s.recentAttempts;
    if (nb === 0 || nr === 0) continue;
    const total = nb + nr;
    const passes = s.baselinePasses + s.recentPasses;
    informative += 1;
    observed += s.recentPasses;
    expected += (nr * passes) / total;
    variance += (nb * nr * passes * (total - passes)) / (total * total * (total - 1));
    numerator += (s.recentPasses * nb - s.baselinePasses * nr) / total;
    weights += (nb * nr) / total;
  }
  const difference = weights > 0 ? numerator / weights : null;
  if (variance === 0) return { p: 1, z: null, difference, strata: informative };
  const z = (observed - expected + 0.5) / Math.sqrt(variance);
  return { p: Math.min(1, Math.max(0, normalCdf(z, 0, 1))), z, difference, strata: informative };
}
