import type { AllStreamResolvedEvent, AllStreamRecordedEvent } from '@eventstore/db-client';
import { comparePositions, type Position, type RecordedEvent } from '../../../contracts/envelope.js';
import type { AllSubscription, SubscriptionMessage } from '../event-store.port.js';
import { toRecordedEvent } from './event-mapping.js';
import { isSystemEventType } from './positions.js';
import { closingIterator } from '../closing-iterator.js';

/**
 * The part of the client's catch-up subscription used here: a Readable in object mode, read in paused
 * mode with `read()`, so the consumer's pace drives it (the Readable's high-water mark bounds the local
 * buffer and gRPC flow control holds the rest on the server).
 */
export interface CatchUpSource {
  read(): unknown;
  readonly readableLength: number;
  on(event: 'readable' | 'end' | 'caughtUp' | 'fellBehind', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

/** Opens a catch-up subscription on $all strictly after `after` (system events filtered by the server). */
export type OpenCatchUp = (after: Position | undefined, highWaterMark: number) => CatchUpSource;

/** Our event for a record of $all, or null to skip it (system events, other stores' streams). */
export type MapAllEvent = (event: AllStreamRecordedEvent) => RecordedEvent | null;

const userEventsOnly: MapAllEvent = (event) => (isSystemEventType(event.type) ? null : toRecordedEvent(event));

type Marker = { at: number; kind: 'caught-up' | 'fell-behind' };

/** How long a live batch waits for the rest of its append before caught-up is emitted (ms). */
const LIVE_SETTLE_MS = 10;

/**
 * The port's pull-based subscription over EventStoreDB's push-based one.
 *
 * Caught-up: servers >= 23.10 send a `caughtUp` signal (and `fellBehind` when the subscription drops back
 * to reading history). The signal arrives while earlier events may still sit unread in the local buffer,
 * so it is recorded as a marker at "objects pushed so far" and emitted once the consumer has taken that
 * many. Older servers never send it: as a fallback the head position read at start marks caught-up when
 * the event at that position is delivered (or at once for an empty store). Whichever comes first is
 * emitted; the other is ignored until the subscription falls behind again. While live, a caught-up also
 * follows every batch that emptied the local buffer ("everything stored so far has been delivered").
 */
export class EventStoreDbAllSubscription implements AllSubscription {
  private source: CatchUpSource | null = null;
  private starting: Promise<void> | null = null;
  /** Objects taken from the source, system or not: the unit of the markers. */
  private consumed = 0;
  private readonly markers: Marker[] = [];
  private live = false;
  private liveCaughtUpDue = false;
  private headTarget: Position | null = null;
  private lastPosition: Position | null = null;
  private failure: { error: unknown } | null = null;
  private ended = false;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly open: OpenCatchUp,
    private readonly headPosition: () => Promise<Position | null>,
    private readonly after: Position | undefined,
    private readonly batchSize: number,
    private readonly onClose: () => void = () => undefined,
    private readonly map: MapAllEvent = userEventsOnly,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return closingIterator(() => this.next(), () => this.close());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.notify();
    const source = this.source;
    this.source = null;
    if (source) {
      source.removeAllListeners();
      // A late error from the cancelled call must not become an unhandled 'error' event.
      source.on('error', () => undefined);
      await source.unsubscribe().catch(() => undefined);
      source.destroy();
    }
  }

  private async next(): Promise<IteratorResult<SubscriptionMessage>> {
    if (this.source === null && !this.closed) {
      this.starting ??= this.start();
      await this.starting;
    }
    for (;;) {
      const source = this.source;
      if (this.closed || source === null) return { done: true, value: undefined };
      if (this.failure) {
        const { error } = this.failure;
        await this.close();
        throw error;
      }
      const marker = this.takeMarker();
      if (marker) return { done: false, value: marker };
      if (this.liveCaughtUpDue) {
        this.liveCaughtUpDue = false;
        // The rest of the same append may be a few milliseconds behind its first events: let it land so
        // caught-up follows the whole append rather than a part of it.
        if (source.readableLength === 0) await this.settle();
        if (this.closed || this.failure) continue;
        if (source.readableLength === 0) return { done: false, value: this.caughtUp() };
      }
      const events = this.drain(source);
      if (events.length > 0) {
        this.liveCaughtUpDue = this.live && source.readableLength === 0;
        return { done: false, value: { kind: 'events', events } };
      }
      if (this.ended) {
        await this.close();
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private async start(): Promise<void> {
    const head = await this.headPosition();
    if (this.closed) return;
    const source = this.open(this.after, this.batchSize);
    this.source = source;
    if (head === null || (this.after !== undefined && comparePositions(this.after, head) >= 0)) {
      this.insertMarker({ at: 0, kind: 'caught-up' });
    } else {
      this.headTarget = head;
    }
    source.on('readable', () => this.notify());
    source.on('end', () => {
      this.ended = true;
      this.notify();
    });
    source.on('error', (error) => {
      this.failure ??= { error };
      this.notify();
    });
    source.on('caughtUp', () => this.insertMarker({ at: this.pushedSoFar(source), kind: 'caught-up' }));
    source.on('fellBehind', () => this.insertMarker({ at: this.pushedSoFar(source), kind: 'fell-behind' }));
  }

  private pushedSoFar(source: CatchUpSource): number {
    return this.consumed + source.readableLength;
  }

  private insertMarker(marker: Marker): void {
    let index = this.markers.length;
    while (index > 0 && this.markers[index - 1].at > marker.at) index -= 1;
    this.markers.splice(index, 0, marker);
    this.notify();
  }

  private takeMarker(): SubscriptionMessage | null {
    while (this.markers.length > 0 && this.markers[0].at <= this.consumed) {
      const marker = this.markers.shift()!;
      if (marker.kind === 'fell-behind') {
        this.live = false;
      } else if (!this.live) {
        this.live = true;
        this.headTarget = null;
        return this.caughtUp();
      }
    }
    return null;
  }

  private caughtUp(): SubscriptionMessage {
    return { kind: 'caught-up', position: this.lastPosition ?? this.after ?? null };
  }

  /** Takes up to batchSize events, stopping at the next marker so it is emitted in order. */
  private drain(source: CatchUpSource): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    const limit = this.markers[0]?.at;
    while (events.length < this.batchSize && (limit === undefined || this.consumed < limit)) {
      const item = source.read() as AllStreamResolvedEvent | null;
      if (item === null) break;
      this.consumed += 1;
      const recorded = item.event ? this.map(item.event) : null;
      if (recorded === null) continue;
      if (this.after !== undefined && comparePositions(recorded.position, this.after) <= 0) continue;
      events.push(recorded);
      this.lastPosition = recorded.position;
      if (this.headTarget !== null && comparePositions(recorded.position, this.headTarget) >= 0) {
        this.headTarget = null;
        this.insertMarker({ at: this.consumed, kind: 'caught-up' });
        break;
      }
    }
    return events;
  }

  private settle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (this.wake === wake) this.wake = null;
        resolve();
      }, LIVE_SETTLE_MS);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.wake = wake;
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
