import type { NewEvent, Position, RecordedEvent } from '../../../contracts/envelope.js';
import type { SqlClient } from '../../database/sql-client.js';
import { sqlState, UNIQUE_VIOLATION, violatedConstraint } from '../../database/database-errors.js';
import {
  ConcurrencyError,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamAppend,
  type SubscribeOptions,
} from '../event-store.port.js';
import { appendInOneStatement } from './append-one-statement.js';
import { appendStreams, collectEventIds, normalizeExpected } from './append-streams.js';
import { findStoredEvents } from './find-stored-events.js';
import { countEventsAfter, selectAllEvents, selectHeadPosition, selectStreamEvents } from './read-events.js';
import { selectEventsOfTypes } from './read-events-of-types.js';
import { wholePage } from './log-page.js';
import { currentRevision } from './reserve-revisions.js';
import { SharedPages } from './shared-pages.js';
import { SqlAllSubscription } from './sql-all-subscription.js';
import { Wakeups } from './wakeups.js';

export interface SqlEventStoreOptions {
  /** Appends of at least this many events use COPY on PostgreSQL (default 2000). */
  copyThreshold?: number;
  /** Rows per unnest INSERT statement (default 1000). */
  insertChunkSize?: number;
  /** Subscription defaults. */
  batchSize?: number;
  pollIntervalMs?: number;
}

/**
 * The event store on PostgreSQL or PGlite (the same SQL on both). It does not own the SqlClient: close()
 * ends its subscriptions and its LISTEN, and leaves the client to whoever opened it.
 */
export class SqlEventStore implements EventStore {
  readonly kind: 'postgres' | 'pglite';
  private readonly wakeups: Wakeups;
  private readonly subscriptions = new Set<SqlAllSubscription>();
  /** Subscriptions at the same position read each page once. */
  private readonly pages = new SharedPages(
    (after, maxCount, types) =>
      types
        ? selectEventsOfTypes(this.sql, this.kind, after, maxCount, types)
        : selectAllEvents(this.sql, this.kind, after, maxCount).then((events) => wholePage(events, maxCount)),
    () => [...this.subscriptions].map((s) => s.at),
  );
  private readonly copyThreshold: number;
  private readonly insertChunkSize: number;
  private closed = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: SqlEventStoreOptions = {},
  ) {
    this.kind = sql.kind;
    this.wakeups = new Wakeups(sql);
    this.copyThreshold = options.copyThreshold ?? 2000;
    this.insertChunkSize = options.insertChunkSize ?? 1000;
  }

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedRevision: options.expectedRevision }]);
    return result!;
  }

  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.assertOpen();
    if (appends.length === 0) return [];
    // A large batch is first tried as all-new (no lookup of stored ids). A retry, with the lookup, covers
    // a replay in such a batch and losing a race to a writer of the same events.
    const total = appends.reduce((n, a) => n + a.events.length, 0);
    // One append of new events (the common case) is first tried as one statement, without the lookup.
    const single = appends.length === 1 && total > 0 && total < this.copyThreshold ? appends[0]! : undefined;
    let checkStored = total < this.copyThreshold && !single;
    for (let attempt = 1; ; attempt++) {
      try {
        if (single && !checkStored) {
          collectEventIds(appends);
          return [await appendInOneStatement(this.sql, single.streamId, single.events, normalizeExpected(single.expectedRevision))];
        }
        return await this.sql.transaction((tx) =>
          appendStreams(tx, appends, {
            useCopy: (rows) => tx.copyFrom !== undefined && rows >= this.copyThreshold,
            insertChunkSize: this.insertChunkSize,
            checkStored,
          }),
        );
      } catch (error) {
        // After one checked attempt has conflicted, a conflict is genuine (a replay would have succeeded).
        const worthRetrying = attempt === 1 || !checkStored || isDuplicateEventId(error);
        if (attempt < 3 && worthRetrying && (await this.someAlreadyStored(error, appends))) {
          checkStored = true;
          continue;
        }
        throw await this.asConcurrencyError(error, appends);
      }
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return selectStreamEvents(this.sql, streamId, options.fromRevision ?? 0n, options.maxCount);
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return selectAllEvents(this.sql, this.kind, options.after, options.maxCount);
  }

  subscribeToAll(options: SubscribeOptions = {}): AllSubscription {
    this.assertOpen();
    const subscription = new SqlAllSubscription(
      { readAll: (after, maxCount, generation, types) => this.pages.read(after, maxCount, generation, types), wakeups: this.wakeups },
      {
        after: options.after,
        batchSize: options.batchSize ?? this.options.batchSize ?? 1000,
        pollIntervalMs: options.pollIntervalMs ?? this.options.pollIntervalMs ?? 1000,
        headReadIntervalMs: options.headReadIntervalMs ?? 0,
        ...(options.eventTypes ? { eventTypes: options.eventTypes } : {}),
        onClose: (s) => {
          this.subscriptions.delete(s);
          this.pages.prune();
        },
      },
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  headPosition(): Promise<Position | null> {
    this.assertOpen();
    return selectHeadPosition(this.sql, this.kind);
  }

  countAfter(after?: Position): Promise<number> {
    this.assertOpen();
    return countEventsAfter(this.sql, this.kind, after);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.wakeups.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  /** A unique event_id violation, or a conflict on a stream some of whose given events are stored. */
  private async someAlreadyStored(error: unknown, appends: StreamAppend[]): Promise<boolean> {
    if (isDuplicateEventId(error)) return true;
    if (!(error instanceof ConcurrencyError)) return false;
    const ids = appends.filter((a) => a.streamId === error.streamId).flatMap((a) => a.events.map((e) => e.eventId));
    return (await findStoredEvents(this.sql, ids)).size > 0;
  }

  /** A racing writer that slipped past the streams row would hit the (stream, revision) key: same meaning. */
  private async asConcurrencyError(error: unknown, appends: StreamAppend[]): Promise<unknown> {
    if (sqlState(error) !== UNIQUE_VIOLATION || violatedConstraint(error) !== 'events_stream_revision_key') return error;
    const detail = String((error as { detail?: unknown }).detail ?? '');
    const append = appends.find((a) => detail.includes(`(${a.streamId},`)) ?? appends[0]!;
    return new ConcurrencyError(append.streamId, append.expectedRevision ?? 'any', await currentRevision(this.sql, append.streamId));
  }
}

function isDuplicateEventId(error: unknown): boolean {
  return sqlState(error) === UNIQUE_VIOLATION && violatedConstraint(error) === 'events_event_id_key';
}
