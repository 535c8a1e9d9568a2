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
    return this.perSecondWith(0);
  }

  /** The rate as it will be once `count` more events are added now (a batch about to commit). */
  perSecondWith(count: number): number | null {
    const at = this.now();
    this.trim(at);
    const samples = count > 0 ? [...this.samples, { at, count }] : this.samples;
    if (samples.length < 2) return null;
    const first = samples[0]!;
    const elapsed = (at - first.at) / 1000;
    if (elapsed <= 0) return null;
    const counted = samples.slice(1).reduce((sum, s) => sum + s.count, 0);
    return counted / elapsed;
  }

  private trim(at: number): void {
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
  }
}
