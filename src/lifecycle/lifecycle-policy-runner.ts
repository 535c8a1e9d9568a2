/**
 * Runs the lifecycle policy: an engine holding only the policy projection (one processor per instance,
 * lease-guarded, checkpointed), plus the dispatcher that appends the outbox after every commit and whenever
 * the processor (re)acquires its lease, which is how decisions committed just before a crash get out.
 * Dispatches run one at a time, in order.
 */
import { Logger } from '@nestjs/common';
import { comparePositions, type Position } from '../../contracts/envelope.js';
import type { SqlClient } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { RunningInstance } from '../projection-engine/processing/segment-group.js';
import type { ProcessorHooks, ProcessorOptions } from '../projection-engine/processing/processor-options.js';
import { normaliseRuleSetId } from '../projection-engine/instances/instance-id.js';
import { listInstances } from '../projection-engine/instances/instances.js';
import { ProjectionEngine } from '../projection-engine/projection-engine.js';
import { lifecyclePolicyProjection, LIFECYCLE_POLICY_NAME } from '../../projections/lifecycle/lifecycle-policy.js';
import { dispatchOutbox, outboxAtCheckpoint, type DispatchReport } from './policy/policy-dispatcher.js';
import { policyRuleSetSource } from './policy/policy-rule-sets.js';

export interface LifecyclePolicyRunnerOptions {
  /** The rule set the policy acts under; the built-in defaults when absent. */
  ruleSetId?: string | null;
  processor?: Partial<ProcessorOptions>;
  /** Engine hooks called besides the runner's own (tests and the child process report through them). */
  hooks?: ProcessorHooks;
  /** Tests only: wait this long before each dispatch, widening the window between a commit and its dispatch. */
  dispatchDelayMs?: number;
  /** Told about every dispatch (tests and the child process report them). */
  onDispatched?(report: DispatchReport): void;
}

export class LifecyclePolicyRunner {
  private readonly logger = new Logger('LifecyclePolicy');
  readonly engine: ProjectionEngine;
  private queue: Promise<void> = Promise.resolve();
  private processor: RunningInstance | undefined;
  private instanceId: string | undefined;

  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    private readonly options: LifecyclePolicyRunnerOptions = {},
  ) {
    const dispatch = () => this.scheduleDispatch();
    this.engine = new ProjectionEngine({
      sql,
      store,
      projections: [lifecyclePolicyProjection],
      ruleSets: policyRuleSetSource(store),
      options: {
        ...(options.processor ? { processor: options.processor } : {}),
        hooks: {
          ...options.hooks,
          onLeaseAcquired: (id, owner) => (options.hooks?.onLeaseAcquired?.(id, owner), dispatch()),
          onBatchCommitted: (batch) => (options.hooks?.onBatchCommitted?.(batch), dispatch()),
          onCaughtUp: (id, position) => (options.hooks?.onCaughtUp?.(id, position), dispatch()),
        },
      },
    });
  }

  /**
   * The instance acting: the current one for the rule set; else one still catching up for it (a restart
   * must resume it, not begin another from the start); else a new one built from the first event.
   */
  async start(): Promise<string> {
    await this.engine.prepare();
    const ruleSetId = this.options.ruleSetId ?? null;
    const wanted = normaliseRuleSetId(ruleSetId);
    const instances = (await listInstances(this.sql, LIFECYCLE_POLICY_NAME)).filter(
      (i) => i.ruleSetId === wanted && i.version === lifecyclePolicyProjection.version,
    );
    // A current instance of an older version of the policy is not resumed: this version replays from the start.
    let instanceId = await this.engine.currentInstanceId(LIFECYCLE_POLICY_NAME, ruleSetId);
    if (instanceId && !instances.some((i) => i.instanceId === instanceId)) instanceId = null;
    if (!instanceId) {
      const resumable = instances.filter((i) => i.phase !== 'retired');
      instanceId = resumable.at(-1)?.instanceId ?? (await this.engine.rebuild(LIFECYCLE_POLICY_NAME, ruleSetId)).instanceId;
    }
    this.instanceId = instanceId;
    this.processor = this.engine.run(instanceId, LIFECYCLE_POLICY_NAME);
    return instanceId;
  }

  /**
   * Replays the policy from the first event in a new instance beside the current one (the engine's
   * blue/green rebuild); it takes over once caught up. Its decisions carry the same ids as before, so
   * nothing is appended twice.
   */
  async rebuild(): Promise<string> {
    await this.engine.prepare();
    const instance = await this.engine.rebuild(LIFECYCLE_POLICY_NAME, this.options.ruleSetId ?? null);
    this.instanceId = instance.instanceId;
    this.processor = this.engine.run(instance.instanceId, LIFECYCLE_POLICY_NAME);
    return instance.instanceId;
  }

  get currentInstance(): string | undefined {
    return this.instanceId;
  }

  /**
   * Resolves once the processor has applied everything (at least up to `atLeast`: the head the store shows
   * can lag behind a commit while an older transaction is open) and the outbox it left is dispatched.
   */
  async settled(atLeast?: Position): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      await this.processor?.whenCaughtUp();
      await this.queue;
      // The outbox and the checkpoint are committed together: read both in one statement (one snapshot),
      // then the head, which only grows. Read apart, a commit in between could pass for settled.
      const snapshot = this.instanceId ? await outboxAtCheckpoint(this.sql, this.instanceId) : null;
      const head = await this.store.headPosition();
      const atHead =
        snapshot !== null &&
        (!head || comparePositions(snapshot.checkpoint, head) >= 0) &&
        (!atLeast || comparePositions(snapshot.checkpoint, atLeast) >= 0);
      if (atHead && (snapshot?.outbox ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the lifecycle policy did not settle');
  }

  async stop(): Promise<void> {
    await this.engine.stop();
    await this.queue;
  }

  private scheduleDispatch(): void {
    const instanceId = this.instanceId;
    if (!instanceId) return;
    const delayMs = this.options.dispatchDelayMs ?? 0;
    this.queue = this.queue
      .then(() => (delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : undefined))
      .then(() => dispatchOutbox(this.sql, this.store, instanceId))
      .then((report) => {
        if (report.appended.length + report.refused.length > 0) this.options.onDispatched?.(report);
        for (const refused of report.refused) this.logger.warn(`decision ${refused.eventId} refused: ${refused.reason}`);
      })
      .catch((error: unknown) => this.logger.error(`dispatch failed (retried after the next batch): ${(error as Error).message}`));
  }
}
