/** Wilson score interval for a binomial proportion (passed of total), with normal quantile z. */
export interface Interval {
  lower: number;
  upper: number;
}

export function wilsonInterval(passed: number, total: number, z: number): Interval {
  if (total <= 0) return { lower: 0, upper: 0 };
  const p = passed / total;
  const z2 = z * z;
  const centre = p + z2 / (2 * total);
  const spread = z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  const scale = 1 + z2 / total;
  return { lower: Math.max(0, (centre - spread) / scale), upper: Math.min(1, (centre + spread) / scale) };
}

/** gptme ranks by the lower bound with z = 1.0 (about 68% confidence). */
export function wilsonLowerBound(passed: number, total: number, z = 1): number {
  return wilsonInterval(passed, total, z).lower;
}
