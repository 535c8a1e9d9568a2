/**
 * False-discovery control over a family of m hypotheses. Benjamini–Hochberg controls the expected share of
 * false discoveries at q for independent or positively dependent p-values; Benjamini–Yekutieli divides q by
 * sum(1/i), i = 1..m, for any dependence. The q-value of a hypothesis is the smallest level at which it would
 * be flagged (the step-up adjusted p-value). Pure; the input order is kept.
 */
export type FdrMethod = 'bh' | 'by';

export const FDR_METHODS: readonly FdrMethod[] = ['bh', 'by'];

/** sum(1/i) for i = 1..m: Benjamini–Yekutieli's penalty for arbitrary dependence. */
export function harmonicNumber(m: number): number {
  let sum = 0;
  for (let i = m; i >= 1; i -= 1) sum += 1 / i;
  return sum;
}

/** Step-up adjusted p-values (q-values), in the order given. */
export function qValues(pValues: readonly number[], method: FdrMethod = 'bh'): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`a p-value must be in [0, 1], got ${p}`);
  }
  const penalty = method === 'by' ? harmonicNumber(m) : 1;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const q = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank -= 1) {
    const { p, i } = order[rank - 1]!;
    running = Math.min(running, (p * m * penalty) / rank);
    q[i] = running;
  }
  return q;
}

/** Which hypotheses the step-up procedure flags at level `level` (true where q <= level). */
export function discoveries(pValues: readonly number[], level: number, method: FdrMethod = 'bh'): boolean[] {
  if (!(level > 0 && level < 1)) throw new RangeError(`the false-discovery level must be in (0, 1), got ${level}`);
  return qValues(pValues, method).map((q) => q <= level);
}
