/**
 * Runs one projection instance: takes its lease, reads every event after its checkpoint in global order
 * through the store's subscription (catch-up in large pages, then live on wake-ups/polling), and commits
 * each batch's read-model changes and the new checkpoint in ONE transaction, the checkpoint as a
 * compare-and-set. A crash anywhere leaves rows and checkpoint consistent: the batch is either in or not.
 * A projection that throws stops at that event with the failure recorded, and waits for a retry.
 */
import { Logger } from '@nestjs/common';
import { comparePositions, isAfter, START, type Position, type RecordedEvent } from '../../../contracts/envelope.js';
import { handles, type RuleValues } from '../../../projections/machinery/projection.js';
import type { AllSubscription, SubscriptionMessage } from '../../event-store/event-store.port.js';
import { promoteToCurrent } from '../instances/blue-green.js';
import { describeFailure, isDataError } from './failures.js';
import { advanceCheckpoint, findInstance, recordFailure, setPhase, type InstancePhase } from '../instances/instances.js';
import { LeaseLostError, newLeaseOwner, releaseLease, renewLease, tryAcquireLease } from '../instances/lease.js';
import { openBatch, type PendingBatch } from './pending-batch.js';
import { RateWindow } from './rate-window.js';
import { DEFAULT_PROCESSOR_OPTIONS, type ProcessorDeps, type ProcessorOptions, type ProcessorState } from './processor-options.js';
import { hasDocuments, StoredKeys } from '../schema/stored-keys.js';

type ProjectOutcome = 'failed' | 'moved' | 'gone' | 'retired' | 'stopped' | 'ended';

class CheckpointMovedError extends Error {
  constructor(readonly instanceId: string) {
    super(`The checkpoint of ${instanceId} was moved by another processor`);
    this.name = 'CheckpointMovedError';
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export class ProjectionProcessor {
  readonly owner: string;
  readonly instanceId: string;
  private readonly options: ProcessorOptions;
  private readonly abort = new AbortController();
  private readonly rate = new RateWindow();
  private readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>;
  private running: Promise<void> | undefined;
  private subscription: AllSubscription | undefined;
  private leaseLost = false;
  private retryRequested = false;
  private checkpoint: Position = START;
  private phase: InstancePhase = 'catching-up';
  private rules: RuleValues = {};
  /** Documents projections: the keys stored, while this run wrote all of them (see stored-keys.ts). */
  private storedKeys: StoredKeys | null = null;
  /** The uncommitted batch: changes of `batchEvents` events, the last of them `batchLast`. */
  private batch: PendingBatch | undefined;
  private batchEvents = 0;
  private batchLast: RecordedEvent | undefined;
  private batchStarted = 0;
  private batchStartedPerf = 0;
  /** After a data error from the database: commit one event at a time up to here, to find the event. */
  private singleEventUntil: Position | null = null;
  private lastInstanceCheck = 0;
  private caughtUpWaiters: (() => void)[] = [];
  /** Everything the subscription has delivered is committed and it said caught-up since. */
  private atHead = false;
  private _state: ProcessorState = 'starting';
  private _eventsProcessed = 0;

  constructor(private readonly deps: ProcessorDeps) {
    this.instanceId = deps.instanceId;
    this.owner = deps.owner ?? newLeaseOwner();
    this.options = { ...DEFAULT_PROCESSOR_OPTIONS, ...deps.options };
    this.logger = deps.logger ?? new Logger(`Projection ${deps.instanceId}`);
  }

  get state(): ProcessorState {
    return this._state;
  }

  /** Events this processor committed since it started (all processes: see the instance's events_processed). */
  get eventsProcessed(): number {
    return this._eventsProcessed;
  }

  get eventsPerSecond(): number | null {
    return this.rate.perSecond();
  }

  start(): this {
    this.running ??= this.run().finally(() => {
      this._state = 'stopped';
      this.releaseWaiters();
    });
    return this;
  }

  /** Resolves when the processor has ended (instance dropped or retired, or stop()). */
  finished(): Promise<void> {
    return this.start().running!;
  }

  /**
   * Resolves once the processor has applied everything its last read found (at once if it is there now),
   * or when it ends.
   */
  whenCaughtUp(): Promise<void> {
    if (this.atHead || this._state === 'stopped') return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  /** In-process retry of a failed instance (other processes use `requestRetry`). */
  retry(): void {
    this.retryRequested = true;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.close().catch(() => undefined);
    await this.running;
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { sql } = this.deps;
    let backoffMs = 500;
    while (!this.stopping) {
      this._state = 'waiting-for-lease';
      if (!(await this.acquireLease())) break;
      this.leaseLost = false;
      this.deps.hooks?.onLeaseAcquired?.(this.instanceId, this.owner);
      const renewal = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.options.leaseTtlMs / 3)));
      let outcome: ProjectOutcome | 'lease-lost' | 'error';
      try {
        outcome = await this.projectUntilDone();
        backoffMs = 500;
      } catch (error) {
        if (this.stopping) outcome = 'stopped';
        else if (error instanceof LeaseLostError || this.leaseLost) {
          this.logger.warn(`lost its lease (another process took over): ${(error as Error).message}`);
          outcome = 'lease-lost';
        } else {
          this.logger.error(`stopped by an error, retrying in ${backoffMs} ms: ${(error as Error).message}`);
          outcome = 'error';
        }
      } finally {
        clearInterval(renewal);
      }
      if (outcome === 'lease-lost') continue;
      if (outcome === 'gone' || outcome === 'retired' || outcome === 'stopped') {
        await releaseLease(sql, this.instanceId, this.owner).catch(() => undefined);
        break;
      }
      if (outcome === 'error') {
        this._state = 'backing-off';
        await sleep(backoffMs, this.abort.signal);
        backoffMs = Math.min(backoffMs * 2, 30_000);
      }
    }
  }

  private async acquireLease(): Promise<boolean> {
    const pollMs = Math.max(50, Math.floor(this.options.leaseTtlMs / 3));
    while (!this.stopping) {
      try {
        if (await tryAcquireLease(this.deps.sql, this.instanceId, this.owner, this.options.leaseTtlMs)) return true;
      } catch (error) {
        this.logger.warn(`could not ask for its lease: ${(error as Error).message}`);
      }
      await sleep(pollMs, this.abort.signal);
    }
    return false;
  }

  private async renew(): Promise<void> {
    try {
      if (!(await renewLease(this.deps.sql, this.instanceId, this.owner, this.options.leaseTtlMs))) {
        this.leaseLost = true;
        await this.subscription?.close();
      }
    } catch {
      // A transient database error: the fence inside the next batch transaction decides.
    }
  }

  /** Projects (and waits for retries after a failure) until the lease is lost or there is nothing to do. */
  private async projectUntilDone(): Promise<ProjectOutcome> {
    for (;;) {
      const outcome = await this.project();
      if (outcome === 'moved' || outcome === 'ended') {
        if (this.stopping) return 'stopped';
        if (this.leaseLost) throw new LeaseLostError(this.instanceId, this.owner);
        if (outcome === 'ended') throw new Error('the event subscription ended unexpectedly');
        continue;
      }
      if (outcome !== 'failed') return outcome;
      const resume = await this.waitForRetry();
      if (resume !== 'retry') return resume;
    }
  }

  private async project(): Promise<ProjectOutcome> {
    const { sql, store, projection } = this.deps;
    const instance = await findInstance(sql, this.instanceId);
    if (!instance) return 'gone';
    if (instance.phase === 'retired') return 'retired';
    this.checkpoint = instance.checkpoint;
    this.phase = instance.phase;
    this.rules = instance.rules;
    this.resetBatch();
    this.storedKeys =
      projection.shape === 'documents' && !(await hasDocuments(sql, projection.documentTable, this.instanceId)) ? new StoredKeys() : null;
    if (this.phase === 'live') {
      const head = await store.headPosition();
      if (head && isAfter(head, this.checkpoint)) {
        await setPhase(sql, this.instanceId, 'catching-up');
        this.phase = 'catching-up';
      }
    }
    this._state = this.phase === 'live' ? 'live' : 'catching-up';
    this.atHead = false;
    this.rate.add(0); // the rate of the first batch is measured from here

    const atStart = comparePositions(this.checkpoint, START) === 0;
    const subscription = store.subscribeToAll({
      ...(atStart ? {} : { after: this.checkpoint }),
      batchSize: this.options.readBatchSize,
      pollIntervalMs: this.options.pollIntervalMs,
    });
    this.subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    let lastQueued = this.checkpoint;
    let next: Promise<IteratorResult<SubscriptionMessage>> | undefined;
    try {
      next = iterator.next();
      while (!this.stopping && !this.leaseLost) {
        const result = await next;
        next = undefined;
        if (result.done) return this.stopping ? 'stopped' : 'ended';
        const message = result.value;
        if (message.kind === 'events') {
          this.atHead = false;
          // Read the next page while this one is folded and committed.
          next = iterator.next();
          const page: RecordedEvent[] = [];
          for (const event of message.events) {
            if (!isAfter(event.position, lastQueued)) continue; // at or below the checkpoint: already applied
            page.push(event);
            lastQueued = event.position;
          }
          const outcome = await this.foldPage(page);
          if (outcome !== 'ok') return outcome;
        } else {
          const outcome = await this.commit();
          if (outcome !== 'ok') return outcome;
          const after = await this.caughtUp();
          if (after !== 'ok') return after;
          next = iterator.next();
        }
      }
      return this.stopping ? 'stopped' : 'ended';
    } finally {
      next?.catch(() => undefined);
      this.subscription = undefined;
      this.resetBatch();
      await subscription.close().catch(() => undefined);
    }
  }

  private resetBatch(): void {
    this.batch = undefined;
    this.batchEvents = 0;
    this.batchLast = undefined;
  }

  private batchLimit(): number {
    if (this.singleEventUntil && !isAfter(this.checkpoint, this.singleEventUntil)) return 1;
    this.singleEventUntil = null;
    return this.options.batchSize;
  }

  /** Folds a page into the batch, committing whenever the batch is full or old enough. */
  private async foldPage(page: RecordedEvent[]): Promise<'ok' | 'failed' | 'moved'> {
    let from = 0;
    while (from < page.length) {
      const room = Math.max(1, this.batchLimit() - this.batchEvents);
      const chunk = page.slice(from, from + room);
      from += chunk.length;
      const outcome = await this.fold(chunk);
      if (outcome !== 'ok') return outcome;
      const old = performance.now() - this.batchStartedPerf > this.options.maxBatchMs;
      if (this.batchEvents >= this.batchLimit() || old) {
        const committed = await this.commit();
        if (committed !== 'ok') return committed;
      }
    }
    return 'ok';
  }

  private async fold(chunk: RecordedEvent[]): Promise<'ok' | 'failed' | 'moved'> {
    const { projection, sql } = this.deps;
    if (!this.batch) {
      this.batch = openBatch(projection, this.rules, this.instanceId, sql, this.storedKeys);
      this.batchStarted = Date.now();
      this.batchStartedPerf = performance.now();
    }
    const relevant = chunk.filter((event) => handles(projection, event));
    const failure = await this.batch.add(relevant);
    if (!failure) {
      this.batchEvents += chunk.length;
      this.batchLast = chunk[chunk.length - 1];
      return 'ok';
    }
    const failing = chunk.indexOf(relevant[failure.index]!);
    if (failing > 0) {
      this.batchEvents += failing;
      this.batchLast = chunk[failing - 1];
    }
    const committed = await this.commit();
    if (committed !== 'ok') return committed;
    await this.fail(chunk[failing]!, failure.error);
    return 'failed';
  }

  /**
   * Commits the batch: fence (our lease), the read-model changes, the checkpoint compare-and-set, in one
   * transaction. A data error from the database (a value a projection produced) sends the processor back
   * to its checkpoint to redo the same events one per transaction, which finds the event to stop at.
   */
  private async commit(): Promise<'ok' | 'failed' | 'moved'> {
    if (this.batchEvents === 0 || !this.batch || !this.batchLast) return 'ok';
    const { sql } = this.deps;
    const batch = this.batch;
    const last = this.batchLast;
    const events = this.batchEvents;
    const started = performance.now();
    this.resetBatch();
    try {
      await sql.transaction(async (tx) => {
        if (!(await renewLease(tx, this.instanceId, this.owner, this.options.leaseTtlMs))) {
          this.leaseLost = true;
          throw new LeaseLostError(this.instanceId, this.owner);
        }
        await batch.write(tx);
        const advanced = await advanceCheckpoint(tx, this.instanceId, {
          from: this.checkpoint,
          to: last.position,
          events,
          lastGlobalPosition: last.globalPosition,
          lastRecordedAt: last.recordedAt,
          eventsPerSecond: this.rate.perSecondWith(events),
        });
        if (!advanced) throw new CheckpointMovedError(this.instanceId);
      });
    } catch (error) {
      if (error instanceof CheckpointMovedError) return 'moved';
      if (!isDataError(error)) throw error;
      if (events === 1) {
        await this.fail(last, error);
        return 'failed';
      }
      this.logger.warn(`the database refused a batch (${(error as Error).message}); redoing it one event at a time`);
      this.singleEventUntil = last.position;
      return 'moved';
    }
    batch.committed();
    this.checkpoint = last.position;
    this._eventsProcessed += events;
    this.rate.add(events);
    this.deps.hooks?.onBatchCommitted?.({
      instanceId: this.instanceId,
      owner: this.owner,
      events,
      position: last.position,
      durationMs: performance.now() - started,
    });
    return 'ok';
  }

  private async fail(event: RecordedEvent, error: unknown): Promise<void> {
    const failure = describeFailure(event, error);
    await recordFailure(this.deps.sql, this.instanceId, failure);
    this.logger.error(
      `stopped at event ${failure.eventId} (${failure.eventType}, position ${failure.position.commit}/${failure.position.prepare}): ${failure.message}`,
    );
    this.deps.hooks?.onFailure?.(this.instanceId, failure);
  }

  private async waitForRetry(): Promise<'retry' | 'gone' | 'retired' | 'stopped'> {
    this._state = 'failed';
    this.retryRequested = false;
    while (!this.stopping) {
      if (this.leaseLost) throw new LeaseLostError(this.instanceId, this.owner);
      await sleep(this.options.failedPollMs, this.abort.signal);
      if (this.retryRequested) return 'retry';
      const instance = await findInstance(this.deps.sql, this.instanceId);
      if (!instance) return 'gone';
      if (instance.phase === 'retired') return 'retired';
      const retryAsked =
        instance.retryRequestedAt !== null && instance.failedAt !== null && instance.retryRequestedAt > instance.failedAt;
      if (instance.error === null || retryAsked) {
        this.logger.log('retrying after a failure');
        return 'retry';
      }
    }
    return 'stopped';
  }

  private async caughtUp(): Promise<'ok' | 'gone' | 'retired'> {
    const { sql } = this.deps;
    if (this.phase === 'rebuilding') {
      const promotion = await promoteToCurrent(sql, this.instanceId);
      if (!promotion.promoted) return 'retired';
      this.phase = 'live';
      this.logger.log(`caught up and is now current${promotion.previous ? ` (replacing ${promotion.previous})` : ''}`);
      this.deps.hooks?.onPromoted?.(this.instanceId, promotion.previous);
    } else if (this.phase === 'catching-up') {
      await setPhase(sql, this.instanceId, 'live');
      this.phase = 'live';
    } else if (performance.now() - this.lastInstanceCheck > this.options.instanceCheckMs) {
      this.lastInstanceCheck = performance.now();
      const instance = await findInstance(sql, this.instanceId);
      if (!instance) return 'gone';
      if (instance.phase === 'retired') return 'retired';
    }
    this._state = 'live';
    this.atHead = true;
    this.deps.hooks?.onCaughtUp?.(this.instanceId, this.checkpoint);
    this.releaseWaiters();
    return 'ok';
  }

  private releaseWaiters(): void {
    const waiters = this.caughtUpWaiters;
    this.caughtUpWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
