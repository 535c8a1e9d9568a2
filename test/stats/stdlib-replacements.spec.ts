/**
 * The hand-written statistics that @stdlib replaced, kept here as the reference: on a grid of inputs the new
 * functions agree with the old to 1e-12. Where they do not, the old one was the less exact, shown against exact
 * values (big-integer sums, a symmetry, published normal CDF values).
 */
import { probabilityAfterGreater } from '../../projections/stats/beta-superiority.js';
import { fisherOneSidedGreater, fisherOneSidedLess } from '../../projections/stats/fisher.js';

// ---- the old implementations (as they were before @stdlib) ----
const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i += 1) logFactorials[i] = logFactorials[i - 1]! + Math.log(i);
  return logFactorials[n]!;
}
const logChoose = (n: number, k: number) => (k < 0 || k > n ? -Infinity : logFactorial(n) - logFactorial(k) - logFactorial(n - k));
const hypergeometric = (x: number, successes: number, draws: number, total: number) =>
  Math.exp(logChoose(successes, x) + logChoose(total - successes, draws - x) - logChoose(total, draws));
function oldFisherLess(a: number, b: number, c: number, d: number): number {
  const passes = a + c;
  const recent = c + d;
  const total = a + b + c + d;
  if (total === 0) return 1;
  let p = 0;
  for (let x = Math.max(0, recent - (b + d)); x <= c; x += 1) p += hypergeometric(x, passes, recent, total);
  return Math.min(1, p);
}

const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
function oldLogGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - oldLogGamma(1 - x);
  const z = x - 1;
  let sum = 0.99999999999980993;
  LANCZOS.forEach((c, i) => (sum += c / (z + i + 1)));
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
const oldLogBeta = (a: number, b: number) => oldLogGamma(a) + oldLogGamma(b) - oldLogGamma(a + b);
function oldNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
function oldProbabilityAfterGreater(before: { passed: number; failed: number }, after: { passed: number; failed: number }): number {
  const [aA, bA, aB, bB] = [before.passed + 1, before.failed + 1, after.passed + 1, after.failed + 1];
  if (aB > 20_000) {
    const mean = (a: number, b: number) => a / (a + b);
    const variance = (a: number, b: number) => (a * b) / ((a + b) ** 2 * (a + b + 1));
    return oldNormalCdf((mean(aB, bB) - mean(aA, bA)) / Math.sqrt(variance(aA, bA) + variance(aB, bB)));
  }
  let total = 0;
  const base = oldLogBeta(aA, bA);
  for (let i = 0; i < aB; i += 1) total += Math.exp(oldLogBeta(aA + i, bA + bB) - Math.log(bB + i) - oldLogBeta(1 + i, bB) - base);
  return Math.min(1, Math.max(0, total));
}

// ---- exact references ----
function choose(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1n; i <= BigInt(k); i += 1n) r = (r * (BigInt(n) - BigInt(k) + i)) / i;
  return r;
}
/** P(X <= c) as an exact fraction, rounded to a double. */
function exactFisherLess(a: number, b: number, c: number, d: number): number {
  const [passes, recent, total] = [a + c, c + d, a + b + c + d];
  const lowest = Math.max(0, recent - (b + d));
  // C(passes, x) and C(fails, recent - x), stepped from x to x + 1 by exact divisions.
  let [withPasses, withFails, num] = [choose(passes, lowest), choose(total - passes, recent - lowest), 0n];
  for (let x = lowest; x <= c; x += 1) {
    num += withPasses * withFails;
    withPasses = (withPasses * BigInt(passes - x)) / BigInt(x + 1);
    if (recent - x > 0) withFails = (withFails * BigInt(recent - x)) / BigInt(total - passes - recent + x + 1);
  }
  const scale = 10n ** 40n;
  return Number((num * scale) / choose(total, recent)) / 1e40;
}

function maxDifference(cases: number[][], f: (...args: number[]) => number, g: (...args: number[]) => number) {
  let worst = { difference: 0, at: [] as number[] };
  for (const args of cases) {
    const difference = Math.abs(f(...args) - g(...args));
    if (!(difference <= worst.difference)) worst = { difference, at: args };
  }
  return worst;
}
const grid = (values: number[], dimensions: number): number[][] =>
  dimensions === 0 ? [[]] : grid(values, dimensions - 1).flatMap((rest) => values.map((v) => [v, ...rest]));

describe('Fisher exact test on stdlib hypergeometric CDF', () => {
  it('agrees with the old sum of log-factorial terms to 1e-12 on every table with cells 0..14', () => {
    const cases = grid([...Array(15).keys()], 4);
    expect(maxDifference(cases, fisherOneSidedLess, oldFisherLess).difference).toBeLessThan(1e-12);
    expect(maxDifference(cases, fisherOneSidedGreater, (a, b, c, d) => oldFisherLess(b, a, d, c)).difference).toBeLessThan(1e-12);
  });

  it('on larger tables (up to 300 a cell) it agrees to 1e-12, or is the closer of the two to the exact value', () => {
    const disagreements = grid([0, 1, 7, 40, 150, 300], 4).filter(([a, b, c, d]) => Math.abs(fisherOneSidedLess(a!, b!, c!, d!) - oldFisherLess(a!, b!, c!, d!)) >= 1e-12);
    expect(disagreements.length).toBeLessThan(100); // of 1,296
    for (const [a, b, c, d] of disagreements) {
      const exact = exactFisherLess(a!, b!, c!, d!);
      expect(Math.abs(fisherOneSidedLess(a!, b!, c!, d!) - exact)).toBeLessThanOrEqual(Math.abs(oldFisherLess(a!, b!, c!, d!) - exact));
    }
  });

  it('far above the mode it is ~1, where stdlib\'s cdf alone underflows to 0', () => {
    expect(fisherOneSidedLess(1, 1000, 1000, 1)).toBe(1);
    expect(oldFisherLess(1, 1000, 1000, 1)).toBe(1);
  });

  it('at thousands of runs the old sum drifts (2.6e-10 from the exact value); the new stays within 5e-11', () => {
    for (const [a, b, c, d] of [[3000, 3000, 3000, 3000], [1000, 1000, 1000, 1000], [200, 1000, 200, 1000], [150, 300, 300, 40]]) {
      expect(Math.abs(fisherOneSidedLess(a!, b!, c!, d!) - exactFisherLess(a!, b!, c!, d!))).toBeLessThan(5e-11);
    }
    expect(Math.abs(oldFisherLess(3000, 3000, 3000, 3000) - exactFisherLess(3000, 3000, 3000, 3000))).toBeGreaterThan(1e-10);
  });
});

describe('P(after > before) on stdlib betaln and normal CDF', () => {
  const counts = [0, 1, 3, 10, 40, 120, 300];
  const cases = grid(counts, 4);
  const call = (f: typeof probabilityAfterGreater) => (p1: number, f1: number, p2: number, f2: number) => f({ passed: p1, failed: f1 }, { passed: p2, failed: f2 });

  it('agrees with the old Lanczos log-gamma sum to 1e-12 on a grid of counts 0..300', () => {
    expect(maxDifference(cases, call(probabilityAfterGreater), call(oldProbabilityAfterGreater)).difference).toBeLessThan(1e-12);
  });

  it('equal tallies give exactly 1/2 by symmetry: the new within 1e-12 at 3,000 runs, the old off by 1e-11', () => {
    const same = { passed: 3000, failed: 3000 };
    expect(Math.abs(probabilityAfterGreater(same, same) - 0.5)).toBeLessThan(1e-12);
    expect(Math.abs(oldProbabilityAfterGreater(same, same) - 0.5)).toBeGreaterThan(5e-12);
  });

  it('past 20,000 passes the normal approximation: the old erf (A&S 7.1.26) was off by up to 7e-8', () => {
    const before = { passed: 20_000, failed: 300 };
    for (const failed of [100, 280, 296, 300, 310, 400]) {
      const after = { passed: 20_000, failed };
      expect(Math.abs(probabilityAfterGreater(before, after) - oldProbabilityAfterGreater(before, after))).toBeLessThan(1.5e-7);
    }
    // Equal tallies: z = 0 and Φ(0) = 1/2 exactly; the old erf(0) was 1e-9, not 0.
    expect(probabilityAfterGreater(before, before)).toBe(0.5);
    expect(oldProbabilityAfterGreater(before, before)).toBeCloseTo(0.5000000005, 12);
  });
});
