/**
 * P(X_after > X_before) for X ~ Beta(1 + passes, 1 + fails) (uniform priors), exact for integer parameters:
 * P(B > A) = sum_{i=0}^{aB-1} B(aA+i, bA+bB) / ((bB+i) B(1+i, bB) B(aA, bA)).
 * Past 20k terms a normal approximation of the difference is used (the sum is then both slow and needless).
 */
export function probabilityAfterGreater(before: { passed: number; failed: number }, after: { passed: number; failed: number }): number {
  const aA = before.passed + 1;
  const bA = before.failed + 1;
  const aB = after.passed + 1;
  const bB = after.failed + 1;
  if (aB > 20_000) return normalApproximation(aA, bA, aB, bB);
  let total = 0;
  const base = logBeta(aA, bA);
  for (let i = 0; i < aB; i += 1) {
    total += Math.exp(logBeta(aA + i, bA + bB) - Math.log(bB + i) - logBeta(1 + i, bB) - base);
  }
  return Math.min(1, Math.max(0, total));
}

function normalApproximation(aA: number, bA: number, aB: number, bB: number): number {
  const mean = (a: number, b: number) => a / (a + b);
  const variance = (a: number, b: number) => (a * b) / ((a + b) ** 2 * (a + b + 1));
  const z = (mean(aB, bB) - mean(aA, bA)) / Math.sqrt(variance(aA, bA) + variance(aB, bB));
  return normalCdf(z);
}

function normalCdf(z: number): number {
  // Abramowitz-Stegun 7.1.26 on erf.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.99999999999980993;
  LANCZOS.forEach((c, i) => (sum += c / (z + i + 1)));
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
