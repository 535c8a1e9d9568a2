import type { Position } from '../../../contracts/envelope.js';
import type { AllSubscription, SubscriptionMessage } from '../event-store.port.js';
import type { LogPage } from './log-page.js';
import type { Wakeups } from './wakeups.js';
import { closingIterator } from '../closing-iterator.js';
import { sleepUntilSettled } from './settle-callbacks.js';

export interface SubscriptionSource {
  /**
   * `generation`: the wake-up generation seen before this read (reads of the same one may share the head).
   * `types`: only events of these types, and on a short page the head (see read-events-of-types.ts).
   */
  readAll(after: Position | undefined, maxCount: number, generation: number, types: readonly string[] | undefined): Promise<LogPage>;
  wakeups: Wakeups;
}

export interface SqlSubscriptionOptions {
  after?: Position;
  batchSize: number;
  pollIntervalMs: number;
  /** See SubscribeOptions.headReadIntervalMs. */
  headReadIntervalMs: number;
  /** See SubscribeOptions.eventTypes. */
  eventTypes?: readonly string[];
  onClose(subscription: SqlAllSubscription): void;
}

/**
 * Pull-based catch-up subscription: every next() reads at most one batch after the last delivered position.
 * When a read comes back short the subscription is at the head; it says so once ('caught-up') and then waits
 * for a NOTIFY wake-up or the poll interval before reading again.
 */
export class SqlAllSubscription implements AllSubscription {
  private position: Position | undefined;
  private closed = false;
  private signalClosed!: () => void;
  private readonly closedSignal = new Promise<void>((resolve) => (this.signalClosed = resolve));
  /** True when events were delivered since the last caught-up (and at the start). */
  private owesCaughtUp = true;
  /** The last read came back short: the next message is caught-up, without another read. */
  private atHead = false;
  private lastEmptyGeneration = -1;
  private retryMs = 0;
  /** When the last head read that found events began (0: the last read found none, or was not at the head). */
  private flowingSince = 0;
  /** Catching up with a type filter: until the first read that reaches the head. */
  private filter: readonly string[] | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly options: SqlSubscriptionOptions,
  ) {
    this.position = options.after && options.after.commit >= 0n ? options.after : undefined;
    this.filter = options.eventTypes;
  }

  /** The last delivered position (undefined: nothing delivered and no start position given). */
  get at(): Position | undefined {
    return this.position;
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return closingIterator(() => this.next(), () => this.close());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signalClosed();
    this.options.onClose(this);
  }

  private async next(): Promise<IteratorResult<SubscriptionMessage>> {
    while (!this.closed) {
      if (this.atHead) {
        this.atHead = false;
        if (this.owesCaughtUp) return this.caughtUp();
      }
      await this.spaceHeadReads();
      if (this.closed) break;
      const generation = this.source.wakeups.current();
      const readAt = performance.now();
      const { events, passed, full } = await this.source.readAll(this.position, this.options.batchSize, generation, this.filter);
      if (this.closed) break;
      this.flowingSince = 0;
      // At the head the filter ends: live reads are shared by every subscriber whatever it folds.
      if (!full) this.filter = undefined;
      if (events.length > 0) {
        this.position = events[events.length - 1]!.position;
        this.owesCaughtUp = true;
        this.atHead = !full;
        if (this.atHead) this.flowingSince = readAt;
        return { done: false, value: { kind: 'events', events, passed } };
      }
      if (this.owesCaughtUp) return this.caughtUp();
      await this.source.wakeups.wait(generation, this.nextWaitMs(generation), this.closedSignal);
    }
    return { done: true, value: undefined };
  }

  /** Events are flowing at the head: the next read waits out the interval since the last (see headReadIntervalMs). */
  private async spaceHeadReads(): Promise<void> {
    if (this.flowingSince === 0 || this.options.headReadIntervalMs <= 0) return;
    const waitMs = this.flowingSince + this.options.headReadIntervalMs - performance.now();
    if (waitMs <= 0) return;
    // Not a Promise.race with closedSignal: that would add a reaction to it per head read, kept until close.
    await sleepUntilSettled(waitMs, this.closedSignal);
  }

  /**
   * A wake-up whose read found nothing means events were committed but are not readable yet (an older
   * transaction is still open, holding the horizon back): re-read soon, backing off to the poll interval,
   * rather than sleeping a whole interval on events we know exist.
   */
  private nextWaitMs(generation: number): number {
    if (generation !== this.lastEmptyGeneration) {
      this.lastEmptyGeneration = generation;
      this.retryMs = generation === 0 ? this.options.pollIntervalMs : 10;
    } else {
      this.retryMs = Math.min(this.retryMs * 2, this.options.pollIntervalMs);
    }
    return this.retryMs;
  }

  private caughtUp(): IteratorResult<SubscriptionMessage> {
    this.owesCaughtUp = false;
    return { done: false, value: { kind: 'caught-up', position: this.position ?? null } };
  }
}
