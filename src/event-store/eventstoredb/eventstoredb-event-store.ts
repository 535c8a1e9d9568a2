import {
  BACKWARDS,
  END,
  FORWARDS,
  START as CLIENT_START,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type EventStoreDBClient,
  type RecordedEvent as ClientRecordedEvent,
} from '@eventstore/db-client';
import { comparePositions, START, type NewEvent, type Position, type RecordedEvent } from '../../../contracts/envelope.js';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
} from '../event-store.port.js';
import { EventStoreDbAllSubscription, type CatchUpSource } from './all-subscription.js';
import { planAppend, tailAfter, type AppendPlan, type StreamTail } from './append-plan.js';
import { connectVerified, type ConnectOptions } from './connect.js';
import { toStoreError } from './errors.js';
import { toEventData, toRecordedEvent } from './event-mapping.js';
import { clientPageReader, findLastUserEvent, readStreamRecords, scanAllForwards, type AllPageReader } from './reading.js';
import { fromClientPosition, toReadPosition } from './positions.js';
import { toClientExpectedRevision } from './revisions.js';
import { streamScope, type StreamScope } from './stream-scope.js';

export interface EventStoreDbStoreOptions extends ConnectOptions {
  /**
   * How many of a stream's newest events are checked for already-stored ids before an append (at least
   * the batch's own size). Replays of older events are not detected by the adapter.
   */
  idempotencyWindow?: number;
  /** Page size of $all scans (readAll without maxCount, countAfter). */
  readPageSize?: number;
  /** How many streams' tails appendMany reads at once. */
  tailReadConcurrency?: number;
  /**
   * Prefix every stream name with this, and see only prefixed streams in $all (isolates several stores,
   * e.g. one per test, on one server). Default: none, the whole node.
   */
  streamPrefix?: string;
}

const DEFAULTS = { idempotencyWindow: 100, readPageSize: 1000, tailReadConcurrency: 8 };
const HEAD_PAGE_SIZE = 100;
const DEFAULT_SUBSCRIPTION_BATCH = 100;

/**
 * The EventStore port on EventStoreDB (gRPC client v6). Differences from the SQL stores, by design:
 * - appendMany is NOT atomic across streams: this client has no multi-stream append. Every expected
 *   revision is checked before the first write (so an ordinary conflict writes nothing), then the streams
 *   are written one by one; a failure or a concurrent writer in between leaves the earlier streams written.
 * - Idempotency is per stream and limited to the newest `idempotencyWindow` events (see planAppend);
 *   EventStoreDB's own event-id check still applies behind it.
 * - countAfter reads every event after the position (EventStoreDB keeps no count): O(lag).
 * - An append costs three round trips: read the stream tail, append, read back the last event's position.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly options: typeof DEFAULTS;
  private readonly readPage: AllPageReader;
  private readonly subscriptions = new Set<AllSubscription>();
  private readonly scope: StreamScope;
  private readonly accept = (event: AllStreamRecordedEvent) => this.scope.contains(event.streamId, event.type);

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbStoreOptions = {},
  ) {
    this.options = {
      idempotencyWindow: options.idempotencyWindow ?? DEFAULTS.idempotencyWindow,
      readPageSize: Math.max(2, options.readPageSize ?? DEFAULTS.readPageSize),
      tailReadConcurrency: Math.max(1, options.tailReadConcurrency ?? DEFAULTS.tailReadConcurrency),
    };
    this.readPage = clientPageReader(client);
    this.scope = streamScope(options.streamPrefix);
  }

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const tail = await this.readTail(streamId, events.length);
    return this.execute(planAppend(streamId, events, options.expectedRevision ?? 'any', tail));
  }

  /** Not atomic across streams (see the class comment): all checks first, then one write per stream. */
  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    const tails = await this.readTails(appends);
    const plans: AppendPlan[] = [];
    for (const append of appends) {
      const tail = tails.get(append.streamId)!;
      const plan = planAppend(append.streamId, append.events, append.expectedRevision ?? 'any', tail);
      tails.set(append.streamId, tailAfter(tail, plan));
      plans.push(plan);
    }
    const results: AppendResult[] = [];
    for (const plan of plans) results.push(await this.execute(plan));
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const records = await readStreamRecords(this.client, this.scope.toStored(streamId), {
      fromRevision: options.fromRevision ?? CLIENT_START,
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      direction: FORWARDS,
    });
    return records.map((record) => this.record(record));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return [];
    // A page a little larger than the limit leaves room for the inclusive start and filtered system events.
    const pageSize = Math.min(this.options.readPageSize, Number.isFinite(limit) ? Math.max(limit + 8, 2) : Infinity);
    const events: RecordedEvent[] = [];
    const visit = (event: AllStreamRecordedEvent) => {
      events.push(this.record(event));
      return events.length < limit;
    };
    await scanAllForwards(this.readPage, realPosition(options.after), pageSize, visit, this.accept);
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): AllSubscription {
    // pollIntervalMs is not needed: EventStoreDB pushes new events to a live subscription.
    const open = (after: Position | undefined, highWaterMark: number): CatchUpSource =>
      this.client.subscribeToAll(
        {
          fromPosition: toReadPosition(after),
          filter: this.scope.prefix === null ? excludeSystemEvents() : streamNameFilter({ prefixes: [this.scope.prefix] }),
        },
        { highWaterMark },
      ) as unknown as CatchUpSource;
    const subscription: EventStoreDbAllSubscription = new EventStoreDbAllSubscription(
      open,
      () => this.headPosition(),
      realPosition(options.after),
      options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH,
      () => this.subscriptions.delete(subscription),
      (event) => (this.accept(event) ? this.record(event) : null),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position | null> {
    const last = await findLastUserEvent(this.readPage, HEAD_PAGE_SIZE, this.accept);
    return last ? fromClientPosition(last.position) : null;
  }

  /** Reads and counts every non-system event after `after`: O(lag) reads, fine for lag gauges, not per event. */
  async countAfter(after?: Position): Promise<number> {
    let count = 0;
    const visit = () => {
      count += 1;
    };
    await scanAllForwards(this.readPage, realPosition(after), this.options.readPageSize, visit, this.accept);
    return count;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private async execute(plan: AppendPlan): Promise<AppendResult> {
    switch (plan.kind) {
      case 'empty': {
        const position = plan.lastPosition ?? START;
        return { nextExpectedRevision: plan.revision ?? -1n, position, globalPosition: position.prepare, appended: 0 };
      }
      case 'replay': {
        const position = plan.storedAt.position ?? (await this.positionAt(plan.streamId, plan.storedAt.revision));
        return { nextExpectedRevision: plan.revision, position, globalPosition: position.prepare, appended: 0 };
      }
      case 'write': {
        let nextExpectedRevision: bigint;
        try {
          ({ nextExpectedRevision } = await this.client.appendToStream(
            this.scope.toStored(plan.streamId),
            plan.events.map(toEventData),
            { expectedRevision: toClientExpectedRevision(plan.expected) },
          ));
        } catch (error) {
          throw toStoreError(error, plan.streamId, plan.expected);
        }
        // The server answers a write of ids it already holds (older than our window) with the stream's
        // revision of that earlier write: no growth means nothing was appended. Under `any`, a concurrent
        // writer's growth could be mistaken for ours; exact expected revisions rule that out.
        const revisionBefore = plan.revisionBefore ?? -1n;
        const appended = nextExpectedRevision > revisionBefore ? plan.events.length : 0;
        // The append answer's position is the transaction's; the port wants the last event's own position
        // (for a no-op, the stored copy's), and the stream's current revision as the next expectation.
        const position = await this.positionAt(plan.streamId, nextExpectedRevision);
        return {
          nextExpectedRevision: appended > 0 ? nextExpectedRevision : revisionBefore,
          position,
          globalPosition: position.prepare,
          appended,
        };
      }
    }
  }

  private record(event: ClientRecordedEvent): RecordedEvent {
    return this.scope.unscope(toRecordedEvent(event));
  }

  private async positionAt(streamId: string, revision: bigint): Promise<Position> {
    const [record] = await readStreamRecords(this.client, this.scope.toStored(streamId), {
      fromRevision: revision,
      maxCount: 1,
      direction: FORWARDS,
    });
    if (!record) throw new Error(`EventStoreDB has no event ${streamId}@${revision} right after appending it`);
    return toRecordedEvent(record).position;
  }

  private async readTail(streamId: string, batchSize: number): Promise<StreamTail> {
    const records = await readStreamRecords(this.client, this.scope.toStored(streamId), {
      fromRevision: END,
      direction: BACKWARDS,
      maxCount: Math.max(this.options.idempotencyWindow, batchSize, 1),
    });
    const known: StreamTail['known'] = new Map();
    for (const record of records) {
      known.set(record.id, { revision: record.revision, position: record.position && fromClientPosition(record.position) });
    }
    const last = records[0];
    return {
      revision: last ? last.revision : null,
      lastPosition: last?.position && fromClientPosition(last.position),
      known,
    };
  }

  private async readTails(appends: StreamAppend[]): Promise<Map<string, StreamTail>> {
    const sizes = new Map<string, number>();
    for (const a of appends) sizes.set(a.streamId, (sizes.get(a.streamId) ?? 0) + a.events.length);
    const pending = [...sizes.entries()];
    const tails = new Map<string, StreamTail>();
    const worker = async () => {
      for (let next = pending.shift(); next; next = pending.shift()) {
        tails.set(next[0], await this.readTail(next[0], next[1]));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.tailReadConcurrency, pending.length) }, worker));
    return tails;
  }
}

/** START (or nothing) means "from the beginning". */
function realPosition(position: Position | undefined): Position | undefined {
  return position !== undefined && comparePositions(position, START) > 0 ? position : undefined;
}

/**
 * Connects, checks the server answers (throwing EventStoreUnavailableError naming the host and what to
 * check when it does not), and returns the store.
 */
export async function createEventStoreDbStore(
  connectionString: string,
  options: EventStoreDbStoreOptions = {},
): Promise<EventStore> {
  streamScope(options.streamPrefix); // a bad prefix is a programming error: refuse it before connecting
  const client = await connectVerified(connectionString, options);
  return new EventStoreDbEventStore(client, options);
}
