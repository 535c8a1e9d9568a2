import { discoveries, harmonicNumber, qValues } from '../../projections/stats/false-discovery.js';

/** The textbook step-up, written the slow way: largest k with p_(k) <= k/m * level, flag the k smallest. */
function stepUpByDefinition(p: readonly number[], level: number, penalty: number): boolean[] {
  const sorted = [...p].sort((a, b) => a - b);
  let k = 0;
  sorted.forEach((value, index) => {
    if (value <= ((index + 1) / p.length) * (level / penalty)) k = index + 1;
  });
  const threshold = k === 0 ? -1 : sorted[k - 1]!;
  return p.map((value) => value <= threshold);
}

/** A small seeded generator so the grid is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Benjamini–Hochberg and Benjamini–Yekutieli', () => {
  it('matches hand-worked q-values (BH) in the input order', () => {
    // sorted p: 0.01 0.02 0.03 0.04 0.2, m = 5: raw m*p/rank = 0.05 0.05 0.05 0.05 0.2, running minimum from the top.
    const q = qValues([0.04, 0.01, 0.2, 0.03, 0.02]);
    [0.05, 0.05, 0.2, 0.05, 0.05].forEach((expected, i) => expect(q[i]).toBeCloseTo(expected, 15));
  });

  it('BY multiplies by the harmonic number before the running minimum, capped at 1', () => {
    expect(harmonicNumber(4)).toBeCloseTo(1 + 1 / 2 + 1 / 3 + 1 / 4, 15);
    const q = qValues([0.001, 0.01, 0.5, 0.9], 'by');
    const c = harmonicNumber(4);
    [0.004 * c, 0.02 * c, 1, 1].forEach((expected, i) => expect(q[i]).toBeCloseTo(Math.min(1, expected), 12));
  });

  it('flags exactly what the step-up definition flags, over 500 random families', () => {
    const random = lcg(17);
    let flagged = 0;
    for (let family = 0; family < 500; family += 1) {
      const m = 1 + Math.floor(random() * 60);
      const p = Array.from({ length: m }, () => (random() < 0.3 ? random() * 0.01 : random()));
      const level = [0.01, 0.05, 0.1][family % 3]!;
      expect(discoveries(p, level, 'bh')).toEqual(stepUpByDefinition(p, level, 1));
      expect(discoveries(p, level, 'by')).toEqual(stepUpByDefinition(p, level, harmonicNumber(m)));
      flagged += discoveries(p, level).filter(Boolean).length;
    }
    expect(flagged).toBeGreaterThan(250);
  });

  it('q-values never fall below the p-value and are monotone in p', () => {
    const random = lcg(5);
    const p = Array.from({ length: 300 }, () => random());
    const q = qValues(p);
    p.forEach((value, i) => expect(q[i]!).toBeGreaterThanOrEqual(value));
    const byP = p.map((value, i) => [value, q[i]!] as const).sort((a, b) => a[0] - b[0]);
    byP.slice(1).forEach(([, qi], i) => expect(qi).toBeGreaterThanOrEqual(byP[i]![1]));
  });

  it('refuses p-values outside [0, 1] and levels outside (0, 1)', () => {
    expect(() => qValues([0.2, Number.NaN])).toThrow(RangeError);
    expect(() => qValues([1.5])).toThrow(RangeError);
    expect(() => discoveries([0.01], 0)).toThrow(RangeError);
    expect(qValues([])).toEqual([]);
  });
});
