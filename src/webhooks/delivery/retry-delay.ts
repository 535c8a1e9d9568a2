/** Backoff after the n-th failed attempt (n >= 1): base * 2^(n-1), capped, with up to 20% jitter so retries spread. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - 0.2 * random()));
}
