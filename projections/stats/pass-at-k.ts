/**
 * pass@k: the probability that at least one of k attempts drawn without replacement from n attempts, of
 * which c passed, passes: 1 - C(n-c, k) / C(n, k) (the unbiased estimator of Chen et al., 2021).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k <= 0 || n <= 0) return 0;
  if (k > n) throw new RangeError(`pass@k needs k <= n (k=${k}, n=${n})`);
  if (n - c < k) return 1;
  // C(n-c, k) / C(n, k) as a product, which stays exact enough for large n.
  let allFail = 1;
  for (let i = 0; i < k; i += 1) allFail *= (n - c - i) / (n - i);
  return 1 - allFail;
}
