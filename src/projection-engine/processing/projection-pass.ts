/**
 * One pass of a processor over the log: from the instance's checkpoint as stored, through the store's
 * subscription (catch-up in large pages, then live on wake-ups/polling), folding pages into batches and
 * committing each (batch-commit.ts). A pass ends when the instance must be read again (its checkpoint
 * moved, or a batch is to be redone one event at a time), at a failure, when the lease is lost, or when
 * the instance is gone or retired; the processor (processor.ts) then starts the next pass or waits.
 */
import { comparePositions, isAfter, START, type Position, type RecordedEvent } from '../../../contracts/envelope.js';
import { handles, type RuleValues } from '../../../projections/machinery/projection.js';
import { segmentOf } from '../../../projections/machinery/segmentation.js';
import type { AllSubscription, SubscriptionMessage } from '../../event-store/event-store.port.js';
import { findInstance, recordFailure, setPhase, type InstanceRecord } from '../instances/instances.js';
import { skippedEventIds } from '../instances/skips.js';
import { openSegment } from '../instances/segments.js';
import { hasDocuments, StoredKeys } from '../schema/stored-keys.js';
import type { CommitTarget } from './batch-commit.js';
import { startCommit, type CommitInFlight } from './commit-in-flight.js';
import { describeFailure } from './failures.js';
import { holdsOnlyCheckpoint, mayDeferIdleCommit, nextOrDue } from './idle-commit.js';
import { openBatch, type KeptDocuments, type PendingBatch } from './pending-batch.js';
import type { PassContext, PassEnd, Step } from './pass-context.js';
import { reachHead, type HeadState } from './reach-head.js';

export type { PassContext, PassEnd } from './pass-context.js';

/** The uncommitted batch: the changes of `events` events read (handled or not), the last of them `last`. */
interface OpenBatch {
  pending: PendingBatch;
  events: number;
  /** Of them, the projection's own (handled, not skipped, of this segment). */
  relevant: number;
  /** Log events a filtered read passed over within the batch (counted in rates and progress, not folded). */
  passedOver: number;
  last: RecordedEvent | undefined;
  startedAt: number;
}

export class ProjectionPass {
  private readonly instanceId: string;
  private readonly rules: RuleValues;
  private readonly commitTarget: CommitTarget;
  private checkpoint: Position;
  /** The instance's phase as this pass moves it, and when it last checked the instance. */
  private readonly head: HeadState;
  private batch: OpenBatch | undefined;
  private subscription: AllSubscription | undefined;
  /** Catching up: the last batch's commit, running while the next batch is folded (commit-in-flight.ts). */
  private inFlight: CommitInFlight | undefined;
  /** Documents kept in memory between this pass's batches (the projection's `keptInMemory`). */
  private readonly keptDocuments: KeptDocuments = new Map();

  private constructor(
    private readonly ctx: PassContext,
    instance: InstanceRecord,
    /** Documents projections: the keys stored, while this pass wrote all of them (see stored-keys.ts). */
    private readonly storedKeys: StoredKeys | null,
    /** After the database refused a batch: commit one event per transaction up to here, to find the event. */
    public redoSinglyUntil: Position | null,
    /** Events an operator told this instance to pass over (`projections skip`): read, never applied. */
    private readonly skipped: ReadonlySet<string>,
  ) {
    this.instanceId = ctx.deps.instanceId;
    this.checkpoint = instance.checkpoint;
    this.head = { phase: instance.phase, lastInstanceCheck: performance.now() }; // it has just read the instance
    this.rules = instance.rules;
    const { sql, segment } = ctx.deps;
    const unit = { unitId: ctx.unitId, ...(segment ? { segment: segment.index } : {}), owner: ctx.owner, rate: ctx.rate };
    this.commitTarget = { sql, instanceId: this.instanceId, ...unit, leaseTtlMs: ctx.options.leaseTtlMs };
  }

  /** Reads the instance: a pass over it, unless it is gone or retired. */
  static async open(ctx: PassContext, redoSinglyUntil: Position | null): Promise<ProjectionPass | 'gone' | 'retired'> {
    const { sql, projection, instanceId } = ctx.deps;
    const instance = await findInstance(sql, instanceId);
    if (!instance) return 'gone';
    if (instance.phase === 'retired') return 'retired';
    const { segment } = ctx.deps;
    if (segment) instance.checkpoint = (await openSegment(sql, instanceId, segment.index, segment.count)).checkpoint;
    const storedKeys =
      projection.shape === 'documents' && !(await hasDocuments(sql, projection.documentTable, instanceId)) ? new StoredKeys() : null;
    const skipped = await skippedEventIds(ctx.deps.store, instanceId);
    return new ProjectionPass(ctx, instance, storedKeys, redoSinglyUntil, skipped);
  }

  /** Closes the subscription (the lease was lost, or the processor stops): the pass ends at its next step. */
  async close(): Promise<void> {
    await this.subscription?.close();
  }

  private get stopping(): boolean {
    return this.ctx.signal.aborted;
  }

  async run(): Promise<PassEnd> {
    const { sql, store } = this.ctx.deps;
    if (this.head.phase === 'live' && !this.ctx.deps.segment) {
      const head = await store.headPosition();
      if (head && isAfter(head, this.checkpoint)) {
        await setPhase(sql, this.instanceId, 'catching-up');
        this.head.phase = 'catching-up';
      }
    }
    this.ctx.caughtUp.behind();
    this.ctx.rate.add(0); // the rate of the first batch is measured from here

    const atStart = comparePositions(this.checkpoint, START) === 0;
    const subscription = store.subscribeToAll({
      ...(atStart ? {} : { after: this.checkpoint }),
      batchSize: this.ctx.options.readBatchSize,
      pollIntervalMs: this.ctx.options.pollIntervalMs,
      headReadIntervalMs: this.ctx.options.headReadIntervalMs,
      eventTypes: this.ctx.deps.projection.eventTypes,
    });
    this.subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    let lastQueued = this.checkpoint;
    let next: Promise<IteratorResult<SubscriptionMessage>> | undefined;
    try {
      next = iterator.next();
      while (!this.stopping && !this.ctx.leaseLost()) {
        const result = await this.nextOrIdleCommit(next);
        if (typeof result === 'string') return result;
        next = undefined;
        if (result.done) return this.stopping ? 'stopped' : 'ended';
        const message = result.value;
        if (message.kind === 'events') {
          this.ctx.caughtUp.behind();
          // Read the next page while this one is folded and committed.
          next = iterator.next();
          const page: RecordedEvent[] = [];
          for (const event of message.events) {
            if (!isAfter(event.position, lastQueued)) continue; // at or below the checkpoint: already applied
            page.push(event);
            lastQueued = event.position;
          }
          const passedOver = page.length === message.events.length ? (message.passed ?? page.length) - page.length : 0;
          const step = await this.foldPage(page, passedOver);
          if (step !== 'ok') return step;
        } else {
          const committed = this.mayDeferCommit() ? 'ok' : await this.commitAndSettle();
          if (committed !== 'ok') return committed;
          const after = await reachHead(this.ctx, this.checkpoint, this.head);
          if (after !== 'ok') return after;
          next = iterator.next();
        }
      }
      return this.stopping ? 'stopped' : 'ended';
    } finally {
      next?.catch(() => undefined);
      // A commit still running goes in (or not) before the processor reads the checkpoint again.
      await this.settle().catch(() => undefined);
      this.subscription = undefined;
      this.batch = undefined;
      await subscription.close().catch(() => undefined);
    }
  }

  private mayDeferCommit(): boolean {
    const { options, deps } = this.ctx;
    const unit = { idleCommitMs: options.idleCommitMs, live: this.head.phase === 'live', segmented: !!deps.segment, handingOver: this.ctx.handingOver() };
    return mayDeferIdleCommit(this.batch, unit);
  }

  /** The subscription's next message; a deferred batch (idle-commit.ts) is committed if it falls due meanwhile. */
  private async nextOrIdleCommit(next: Promise<IteratorResult<SubscriptionMessage>>): Promise<IteratorResult<SubscriptionMessage> | PassEnd> {
    const batch = this.batch;
    if (!holdsOnlyCheckpoint(batch, this.ctx.options.idleCommitMs)) return next;
    if ((await nextOrDue(next, batch!, this.ctx.options.idleCommitMs)) !== 'due') return next;
    const committed = await this.commit();
    return committed === 'ok' ? next : committed;
  }

  private batchLimit(): number {
    if (this.redoSinglyUntil && !isAfter(this.checkpoint, this.redoSinglyUntil)) return 1;
    this.redoSinglyUntil = null;
    return this.ctx.options.batchSize;
  }

  /**
   * Folds a page into the batch, committing whenever the batch is full or old enough. `passedOver`: log events
   * the read skipped, all before the page's last event, so counted with the chunk that holds it.
   */
  private async foldPage(page: RecordedEvent[], passedOver: number): Promise<Step> {
    let from = 0;
    while (from < page.length) {
      const room = Math.max(1, this.batchLimit() - (this.batch?.events ?? 0));
      const chunk = page.slice(from, from + room);
      from += chunk.length;
      const step = await this.fold(chunk, from === page.length ? passedOver : 0);
      if (step !== 'ok') return step;
      const batch = this.batch;
      if (batch && (batch.events >= this.batchLimit() || performance.now() - batch.startedAt > this.ctx.options.maxBatchMs)) {
        const committed = await this.commit();
        if (committed !== 'ok') return committed;
      }
    }
    return 'ok';
  }

  private async fold(chunk: RecordedEvent[], passedOver: number): Promise<Step> {
    const { projection, sql } = this.ctx.deps;
    this.batch ??= {
      pending: openBatch(projection, this.rules, this.instanceId, sql, this.storedKeys, this.keptDocuments, this.inFlight?.batch.pending),
      events: 0,
      relevant: 0,
      passedOver: 0,
      last: undefined,
      startedAt: performance.now(),
    };
    const batch = this.batch;
    const { segment } = this.ctx.deps;
    const ours = (event: RecordedEvent) => !segment || segmentOf(projection.segmentation!, event) === segment.index;
    const relevant = chunk.filter((event) => handles(projection, event) && !this.skipped.has(event.eventId) && ours(event));
    const failure = await batch.pending.add(relevant);
    if (!failure) {
      batch.relevant += relevant.length;
      batch.events += chunk.length;
      batch.passedOver += passedOver;
      batch.last = chunk[chunk.length - 1];
      return 'ok';
    }
    const failing = chunk.indexOf(relevant[failure.index]!);
    if (failing > 0) {
      batch.events += failing;
      batch.last = chunk[failing - 1];
    }
    const committed = await this.commitAndSettle();
    if (committed !== 'ok') return committed;
    await this.fail(chunk[failing]!, failure.error);
    return 'failed';
  }

  private async commitAndSettle(): Promise<Step> {
    const committed = await this.commit();
    return committed === 'ok' ? this.settle() : committed;
  }

  /** Commits the batch: catching up, only starts it (see commit-in-flight.ts); otherwise waits for it too. */
  private async commit(): Promise<Step> {
    const settled = await this.settle();
    const batch = this.batch;
    if (settled !== 'ok' || !batch || batch.events === 0 || !batch.last) return settled;
    this.batch = undefined;
    const { pending, events, passedOver, last } = batch;
    this.inFlight = startCommit(this.commitTarget, { pending, events, passedOver, last }, this.checkpoint);
    return this.head.phase !== 'live' && this.redoSinglyUntil === null ? 'ok' : this.settle();
  }

  /** Waits for the commit in flight, if any, and acts on its outcome. */
  private async settle(): Promise<Step> {
    const inFlight = this.inFlight;
    if (!inFlight) return 'ok';
    this.inFlight = undefined;
    const outcome = await inFlight.outcome;
    if (outcome.kind !== 'committed') this.batch = undefined; // folded on top of a batch that did not go in
    switch (outcome.kind) {
      case 'thrown':
        throw outcome.error;
      case 'committed':
        break;
      case 'lease-lost-reacquire':
        return 'lease-lost';
      case 'checkpoint-moved-reload':
        return 'reload';
      case 'redo-singly-reload':
        this.ctx.logger.warn(`the database refused a batch (${(outcome.error as Error).message}); redoing it one event at a time`);
        this.redoSinglyUntil = outcome.until;
        return 'reload';
      case 'event-failed-wait':
        await this.fail(outcome.event, outcome.error);
        return 'failed';
    }
    const { events, passedOver, last } = inFlight.batch;
    this.checkpoint = last.position;
    this.ctx.progressed();
    this.ctx.rate.add(events + passedOver);
    this.ctx.deps.hooks?.onBatchCommitted?.({
      instanceId: this.ctx.unitId,
      owner: this.ctx.owner,
      events: events + passedOver,
      position: last.position,
      durationMs: performance.now() - inFlight.startedAt,
    });
    return this.ctx.handingOver() ? 'lease-lost' : 'ok';
  }

  private async fail(event: RecordedEvent, error: unknown): Promise<void> {
    const failure = { ...describeFailure(event, error), ...(this.ctx.deps.segment ? { segment: this.ctx.deps.segment.index } : {}) };
    await recordFailure(this.ctx.deps.sql, this.instanceId, failure);
    this.ctx.logger.error(
      `stopped at event ${failure.eventId} (${failure.eventType}, position ${failure.position.commit}/${failure.position.prepare}): ${failure.message}`,
    );
    this.ctx.deps.hooks?.onFailure?.(this.instanceId, failure);
  }
}
