import type { NewEvent, Position, RecordedEvent } from '../../contracts/envelope.js';

/** `any`: no check; `no_stream`: the stream must not exist; `stream_exists`: it must; bigint: its last revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append (the value to pass as expectedRevision next). */
  nextExpectedRevision: bigint;
  /** Position of the last event of this append (of the stored copy when everything was a re-append). */
  position: Position;
  globalPosition: bigint;
  /** How many of the given events were new; 0 when the whole append was an idempotent replay. */
  appended: number;
}

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedRevision?: ExpectedRevision;
}

export interface ReadStreamOptions {
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events strictly after this position. Default: from the start. */
  after?: Position;
  maxCount?: number;
}

export type SubscriptionMessage =
  /** `passed`: how many log events the message stands for (absent: events.length); see SubscribeOptions.eventTypes. */
  | { kind: 'events'; events: RecordedEvent[]; passed?: number }
  /** Emitted each time the subscription has delivered everything stored so far. */
  | { kind: 'caught-up'; position: Position | null };

/** Pull-based: the consumer's `next()` drives reads; nothing is pushed faster than it is taken. */
export interface AllSubscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  after?: Position;
  batchSize?: number;
  /** Fallback poll interval when no wake-up arrives (ms). */
  pollIntervalMs?: number;
  /**
   * At the head, while events keep arriving: the least time between two reads (ms; default 0). Appends that
   * arrive together are then read, folded and committed together, so a subscriber's reads and commits per
   * second stay bounded however fast events come; after a quiet spell the first wake-up reads at once.
   * SQL stores only (EventStoreDB pushes events).
   */
  headReadIntervalMs?: number;
  /**
   * A hint for catching up: the consumer folds only events of these types. Until it first reaches the head, a
   * subscription may then deliver only those, plus, where a read ends short of a full batch, the last event it
   * passed over (of any type), so that a checkpoint taken at the last delivered event is at the head; each
   * message says how many log events it covered (`passed`). From the head on it delivers every event, as it
   * does without the hint. Consumers still check the type of what they get. SQL stores only (EventStoreDB
   * delivers every event).
   */
  eventTypes?: readonly string[];
}

export interface EventStore {
  readonly kind: 'postgres' | 'pglite' | 'eventstoredb';
  appendToStream(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** Many streams in one atomic write: all or nothing. The bulk path for importing history. */
  appendMany(appends: StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): AllSubscription;
  /** The position of the last event readable now, or null for an empty store. */
  headPosition(): Promise<Position | null>;
  /** Number of readable events strictly after `after` (lag). */
  countAfter(after?: Position): Promise<number>;
  close(): Promise<void>;
}

export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Wrong expected revision for stream ${streamId}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

export class EventStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

export const EVENT_STORE = Symbol('EVENT_STORE');
