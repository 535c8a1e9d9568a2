/**
 * Runs one projection instance: takes its lease (one active processor per instance), keeps it renewed, and
 * runs passes over the log (projection-pass.ts) until the instance is dropped or retired or stop() is
 * called. Each pass commits its batches' read-model changes and the new checkpoint in ONE transaction, the
 * checkpoint as a compare-and-set (batch-commit.ts): a crash anywhere leaves rows and checkpoint
 * consistent. A projection that throws stops at that event with the failure recorded, and waits for a retry.
 */
import { Logger } from '@nestjs/common';
import type { Position } from '../../../contracts/envelope.js';
import { findInstance } from '../instances/instances.js';
import { segmentUnitId } from '../instances/segments.js';
import { LeaseLostError, newLeaseOwner, releaseLease, renewLease, tryAcquireLease } from '../instances/lease.js';
import { CaughtUpSignal } from './caught-up-signal.js';
import { DEFAULT_PROCESSOR_OPTIONS, type ProcessorDeps, type ProcessorOptions } from './processor-options.js';
import { ProjectionPass, type PassContext, type PassEnd } from './projection-pass.js';
import { RateWindow } from './rate-window.js';
import { RetryStreak } from './retry-streak.js';

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
  /** The lease's id: the instance's, or its segment's (`<instance>#<n>`). */
  readonly unitId: string;
  private readonly options: ProcessorOptions;
  private readonly abort = new AbortController();
  private readonly caughtUp = new CaughtUpSignal();
  private readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>;
  private readonly context: PassContext;
  private running: Promise<void> | undefined;
  /** The pass projecting now: a lost lease or stop() closes its subscription. */
  private pass: ProjectionPass | undefined;
  private leaseLost = false;
  /** This process holds more than its share of the instance's segments: this unit gives its lease back. */
  private yielding = false;
  /** Renewals since it decided to give its segment back: one idle (nothing to commit) hands over after a few. */
  private yieldTicks = 0;
  private retryRequested = false;
  /** Carried from one pass to the next (see ProjectionPass.redoSinglyUntil). */
  private redoSinglyUntil: Position | null = null;
  /** Errors in a row that are not an event's fault: counted, shown in status, retried after growing pauses. */
  private readonly retries: RetryStreak;

  constructor(private readonly deps: ProcessorDeps) {
    this.instanceId = deps.instanceId;
    this.unitId = deps.segment ? segmentUnitId(deps.instanceId, deps.segment.index) : deps.instanceId;
    this.owner = deps.owner ?? newLeaseOwner();
    this.options = { ...DEFAULT_PROCESSOR_OPTIONS, ...deps.options };
    this.logger = deps.logger ?? new Logger(`Projection ${this.unitId}`);
    this.retries = new RetryStreak(deps.sql, this.instanceId, this.logger);
    this.context = {
      deps,
      options: this.options,
      owner: this.owner,
      unitId: this.unitId,
      logger: this.logger,
      signal: this.abort.signal,
      rate: new RateWindow(),
      caughtUp: this.caughtUp,
      leaseLost: () => this.leaseLost,
      handingOver: () => this.yielding,
      progressed: () => this.retries.progressed(),
    };
  }

  start(): this {
    this.running ??= this.run().finally(() => this.caughtUp.end());
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
    return this.caughtUp.wait();
  }

  /** In-process retry of a failed instance (other processes use `requestRetry`). */
  retry(): void {
    this.retryRequested = true;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.pass?.close().catch(() => undefined);
    await this.running;
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { sql } = this.deps;
    while (!this.stopping) {
      if (!(await this.acquireLease())) break;
      this.leaseLost = false;
      this.deps.segment?.share.took(this.instanceId, this.unitId);
      this.deps.hooks?.onLeaseAcquired?.(this.unitId, this.owner);
      const renewal = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.options.leaseTtlMs / 3)));
      let outcome: 'gone' | 'retired' | 'stopped' | 'lease-lost' | 'error';
      let pauseMs = 0;
      try {
        outcome = await this.projectUntilDone();
      } catch (error) {
        if (this.stopping) outcome = 'stopped';
        else if (error instanceof LeaseLostError || this.leaseLost) {
          if (!this.yielding) this.logger.warn(`lost its lease (another process took over): ${(error as Error).message}`);
          outcome = 'lease-lost';
        } else {
          pauseMs = await this.retries.failed(error);
          outcome = 'error';
        }
      } finally {
        clearInterval(renewal);
        this.deps.segment?.share.left(this.instanceId, this.unitId);
      }
      if (outcome === 'lease-lost' && this.yielding) {
        // Given back to a process that joined: released at once, taken again only within this process's share.
        this.yielding = false;
        await releaseLease(sql, this.unitId, this.owner).catch(() => undefined);
        this.logger.log('gave its segment back (another process shares the work)');
        await sleep(this.options.leaseTtlMs, this.abort.signal);
        continue;
      }
      if (outcome === 'lease-lost') continue;
      if (outcome === 'gone' || outcome === 'retired' || outcome === 'stopped') {
        await releaseLease(sql, this.unitId, this.owner).catch(() => undefined);
        break;
      }
      await sleep(pauseMs, this.abort.signal);
    }
  }

  private async acquireLease(): Promise<boolean> {
    const pollMs = Math.max(50, Math.floor(this.options.leaseTtlMs / 5));
    while (!this.stopping) {
      try {
        const segment = this.deps.segment;
        const mayTake = !segment || segment.share.mayTake(this.instanceId, segment.count);
        if (mayTake && (await tryAcquireLease(this.deps.sql, this.unitId, this.owner, this.options.leaseTtlMs))) return true;
      } catch (error) {
        this.logger.warn(`could not ask for its lease: ${(error as Error).message}`);
      }
      await sleep(pollMs, this.abort.signal);
    }
    return false;
  }

  private async renew(): Promise<void> {
    try {
      const segment = this.deps.segment;
      // Giving a segment back: the pass ends after its next commit (no work lost), or now when it stays idle.
      if (segment && !this.yielding && segment.share.yieldOne(this.instanceId, this.unitId, segment.count)) {
        [this.yielding, this.yieldTicks] = [true, 0];
      } else if (this.yielding && ++this.yieldTicks > 3) {
        this.leaseLost = true;
        await this.pass?.close();
      }
      if (!(await renewLease(this.deps.sql, this.unitId, this.owner, this.options.leaseTtlMs))) {
        this.leaseLost = true;
        await this.pass?.close();
      }
    } catch {
      // A transient database error: the fence inside the next batch transaction decides.
    }
  }

  /** Runs passes (and waits for retries after a failure) until the lease is lost or there is nothing to do. */
  private async projectUntilDone(): Promise<'gone' | 'retired' | 'stopped'> {
    for (;;) {
      const end = await this.projectOnce();
      if (end === 'reload' || end === 'lease-lost' || end === 'ended') {
        if (this.stopping) return 'stopped';
        if (this.leaseLost || end === 'lease-lost') throw new LeaseLostError(this.unitId, this.owner);
        if (end === 'ended') throw new Error('the event subscription ended unexpectedly');
        continue;
      }
      if (end !== 'failed') return end;
      const resume = await this.waitForRetry();
      if (resume !== 'retry') return resume;
    }
  }

  private async projectOnce(): Promise<PassEnd> {
    const pass = await ProjectionPass.open(this.context, this.redoSinglyUntil);
    if (typeof pass === 'string') return pass;
    this.pass = pass;
    try {
      return await pass.run();
    } finally {
      this.pass = undefined;
      this.redoSinglyUntil = pass.redoSinglyUntil;
    }
  }

  private async waitForRetry(): Promise<'retry' | 'gone' | 'retired' | 'stopped'> {
    this.retryRequested = false;
    while (!this.stopping) {
      if (this.leaseLost) throw new LeaseLostError(this.unitId, this.owner);
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
}
