import type { SqlClient } from '../../database/sql-client.js';
import { EVENTS_CHANNEL } from './insert-events.js';
import { onSettled } from './settle-callbacks.js';

/**
 * Turns NOTIFY on the events channel into a generation counter that subscriptions can wait on. The LISTEN is
 * opened once, lazily, for all subscriptions of a store. If it cannot be opened, waiting degrades to polling.
 */
export class Wakeups {
  private generation = 0;
  private readonly waiters = new Set<() => void>();
  private listening: Promise<(() => Promise<void>) | null> | null = null;

  constructor(private readonly sql: SqlClient) {}

  /** The current generation; pass it to wait() to not miss a wake-up that lands in between. */
  current(): number {
    this.ensureListening();
    return this.generation;
  }

  /** Resolves when a wake-up newer than `since` arrives, after `timeoutMs`, or when `abort` fires. */
  wait(since: number, timeoutMs: number, abort: Promise<void>): Promise<void> {
    if (this.generation !== since) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        forget();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      const forget = onSettled(abort, done);
    });
  }

  async close(): Promise<void> {
    for (const waiter of [...this.waiters]) waiter();
    const listening = this.listening;
    this.listening = null;
    const stop = await listening;
    await stop?.().catch(() => undefined);
  }

  private ensureListening(): void {
    if (this.listening) return;
    this.listening = this.sql
      .listen(EVENTS_CHANNEL, () => {
        this.generation++;
        for (const waiter of [...this.waiters]) waiter();
      })
      .catch(() => null);
  }
}
