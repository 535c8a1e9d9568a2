/**
 * P(X_after > X_before) for X ~ Beta(1 + passes, 1 + fails) (uniform priors), exact for integer parameters:
 * P(B > A) = sum_{i=0}^{aB-1} B(aA+i, bA+bB) / ((bB+i) B(1+i, bB) B(aA, bA)).
 * Past 20k terms a normal approximation of the difference is used (the sum is then both slow and needless).
 * ln B comes from stdlib's betaln: lnΓ(a) + lnΓ(b) - lnΓ(a + b) loses about 1e-11 to cancellation at a few
 * thousand runs.
 */
import betaln from '@stdlib/math-base-special-betaln';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

export function probabilityAfterGreater(before: { passed: number; failed: number }, after: { passed: number; failed: number }): number {
  const aA = before.passed + 1;
  const bA = before.failed + 1;
  const aB = after.passed + 1;
  const bB = after.failed + 1;
  if (aB > 20_000) return normalApproximation(aA, bA, aB, bB);
  let total = 0;
  const base = betaln(aA, bA);
  for (let i = 0; i < aB; i += 1) {
    total += Math.exp(betaln(aA + i, bA + bB) - Math.log(bB + i) - betaln(1 + i, bB) - base);
  }
  return Math.min(1, Math.max(0, total));
}

function normalApproximation(aA: number, bA: number, aB: number, bB: number): number {
  const mean = (a: number, b: number) => a / (a + b);
  const variance = (a: number, b: number) => (a * b) / ((a + b) ** 2 * (a + b + 1));
  const z = (mean(aB, bB) - mean(aA, bA)) / Math.sqrt(variance(aA, bA) + variance(aB, bB));
  return normalCdf(z, 0, 1);
}
