/** Whether a processor has applied everything its last read found, for callers waiting on it. */
export class CaughtUpSignal {
  private atHead = false;
  private ended = false;
  private waiters: (() => void)[] = [];

  /** Resolves at once when at the head (or ended), else on the next `reached()` or `end()`. */
  wait(): Promise<void> {
    if (this.atHead || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** New events arrived (or a new pass began): not at the head until they are committed. */
  behind(): void {
    this.atHead = false;
  }

  /** Everything delivered is committed and the subscription said caught-up. */
  reached(): void {
    this.atHead = true;
    this.release();
  }

  /** The processor ended: nothing more will be applied. */
  end(): void {
    this.ended = true;
    this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
