/** How often consecutive outcomes differ: flips / (n - 1); 0 for fewer than two outcomes. */
export function flipRate(outcomes: readonly boolean[]): number {
  if (outcomes.length < 2) return 0;
  let flips = 0;
  for (let i = 1; i < outcomes.length; i += 1) if (outcomes[i] !== outcomes[i - 1]) flips += 1;
  return flips / (outcomes.length - 1);
}

/** Binary entropy of the pass rate, in bits: 0 when always the same, 1 at a 50% pass rate. */
export function passEntropy(outcomes: readonly boolean[]): number {
  if (outcomes.length === 0) return 0;
  const p = outcomes.filter(Boolean).length / outcomes.length;
  if (p === 0 || p === 1) return 0;
  return -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}
