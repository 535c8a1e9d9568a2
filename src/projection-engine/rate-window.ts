/** Events per second over a sliding time window (what status and /metrics show as the instance's rate). */
export class RateWindow {
  private readonly samples: { at: number; count: number }[] = [];

  constructor(
    private readonly windowMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(count: number): void {
    const at = this.now();
    this.samples.push({ at, count });
    this.trim(at);
  }

  /** null until there are two samples to measure between. */
  perSecond(): number | null {
    const at = this.now();
    this.trim(at);
    if (this.samples.length < 2) return null;
    const first = this.samples[0]!;
    const elapsed = (at - first.at) / 1000;
    if (elapsed <= 0) return null;
    const counted = this.samples.slice(1).reduce((sum, s) => sum + s.count, 0);
    return counted / elapsed;
  }

  private trim(at: number): void {
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
  }
}
