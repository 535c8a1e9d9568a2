/** Peak resident set size of this process since it started, in MB (Linux reports maxRSS in KiB). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Samples RSS on an interval to find the peak of one phase of a process (maxRSS only knows the lifetime peak).
 * Sampling can miss a short spike between ticks; prefer one phase per child process and `peakRssMb()`.
 */
export function startRssSampler(intervalMs = 25): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / (1024 * 1024);
    },
  };
}
