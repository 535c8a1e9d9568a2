/**
 * The engine: keeps one processor running per active instance of every registered projection in this
 * process (each waits for its lease, so across processes exactly one projects an instance), creates the
 * first instance of a new projection, starts a side-by-side rebuild when a projection's version changes,
 * and offers rebuild / drop / retry / status. Plain class: the NestJS module and the CLI both use it.
 */
import { Logger } from '@nestjs/common';
import { resolveRules, type AnyProjection, type RuleValues } from '../../projections/machinery/projection.js';
import type { SqlClient } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { ensureEngineSchema } from './schema/engine-schema.js';
import { CannotDropCurrentError, UnknownInstanceError, UnknownProjectionError } from './errors.js';
import { DEFAULT_RULE_SET, normaliseRuleSetId } from './instances/instance-id.js';
import {
  createInstance,
  deleteInstanceRow,
  findCurrentInstanceId,
  findInstance,
  listInstances,
  requestRetry,
  setCurrentInstance,
  type InstanceRecord,
} from './instances/instances.js';
import { DEFAULT_PROCESSOR_OPTIONS, type ProcessorHooks, type ProcessorOptions } from './processing/processor-options.js';
import { startRunning, type RunningInstance } from './processing/segment-group.js';
import { SegmentShare } from './processing/segment-share.js';
import { deleteInstanceRows, ensureReadModelTables, tablesOf } from './schema/read-model-tables.js';
import { staticRuleSetSource, UnknownRuleSetError, type RuleSetSource } from './instances/rule-sets.js';
import { skipFailedEvent, type RecordedSkip } from './instances/skips.js';
import { instanceStatuses, type InstanceStatus } from './status/status.js';

export interface ProjectionEngineOptions {
  processor?: Partial<ProcessorOptions>;
  /** How often a started engine looks for instances to run (new rebuilds, released leases). */
  reconcileIntervalMs?: number;
  hooks?: ProcessorHooks;
}

export interface ProjectionEngineDeps {
  sql: SqlClient;
  store: EventStore;
  projections: readonly AnyProjection[];
  ruleSets?: RuleSetSource;
  options?: ProjectionEngineOptions;
}

export class ProjectionEngine {
  private readonly logger = new Logger('ProjectionEngine');
  private readonly registry = new Map<string, AnyProjection>();
  private readonly processors = new Map<string, RunningInstance>();
  private share: SegmentShare | undefined;
  private readonly ruleSets: RuleSetSource;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | undefined;
  private prepared: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: ProjectionEngineDeps) {
    for (const projection of deps.projections) {
      if (this.registry.has(projection.name)) throw new Error(`Projection ${projection.name} is registered twice`);
      this.registry.set(projection.name, projection);
    }
    this.ruleSets = deps.ruleSets ?? staticRuleSetSource({});
  }

  get sql(): SqlClient {
    return this.deps.sql;
  }

  get store(): EventStore {
    return this.deps.store;
  }

  definitions(): AnyProjection[] {
    return [...this.registry.values()];
  }

  definition(name: string): AnyProjection {
    const projection = this.registry.get(name);
    if (!projection) throw new UnknownProjectionError(name, [...this.registry.keys()]);
    return projection;
  }

  /** Engine tables, every projection's tables, and the instances that should exist. Idempotent. */
  prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await ensureEngineSchema(this.deps.sql);
      for (const projection of this.registry.values()) await ensureReadModelTables(this.deps.sql, projection);
      await this.ensureInstances();
    })().catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  /** Runs every active instance (in this process, as far as the leases allow) until stop(). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.prepare();
    await this.reconcile();
    const every = this.deps.options?.reconcileIntervalMs ?? 5000;
    this.reconcileTimer = setInterval(() => void this.reconcile().catch((e: Error) => this.logger.warn(e.message)), every);
    this.reconcileTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = undefined;
    await this.reconciling;
    await Promise.all([...this.processors.values()].map((p) => p.stop()));
    this.processors.clear();
    await this.share?.stop();
    this.share = undefined;
  }

  /** The processors running in this process, by instance id (a segmented instance: all its segments here). */
  runningProcessors(): ReadonlyMap<string, RunningInstance> {
    return this.processors;
  }

  /** Starts (or returns) this process's processor (or segment processors) for one instance. */
  run(instanceId: string, projectionName?: string): RunningInstance {
    const existing = this.processors.get(instanceId);
    if (existing) return existing;
    const name = projectionName ?? this.nameOf(instanceId);
    const { processor: options, hooks } = this.deps.options ?? {};
    const leaseTtlMs = options?.leaseTtlMs ?? DEFAULT_PROCESSOR_OPTIONS.leaseTtlMs;
    const processor = startRunning(
      { sql: this.deps.sql, store: this.deps.store, projection: this.definition(name), instanceId, ...(options ? { options } : {}), ...(hooks ? { hooks } : {}) },
      () => (this.share ??= new SegmentShare(this.deps.sql, leaseTtlMs, this.logger)),
    );
    this.processors.set(instanceId, processor);
    void processor
      .finished()
      .finally(() => {
        if (this.processors.get(instanceId) === processor) this.processors.delete(instanceId);
      });
    return processor;
  }

  private nameOf(instanceId: string): string {
    for (const name of this.registry.keys()) if (instanceId.startsWith(`${name}.v`)) return name;
    throw new UnknownInstanceError(instanceId);
  }

  /** Starts processors for active instances of the registered versions that are not running here yet. */
  reconcile(): Promise<void> {
    this.reconciling ??= (async () => {
      try {
        if (this.stopped) return;
        for (const instance of await listInstances(this.deps.sql)) {
          if (this.stopped) return;
          if (instance.phase === 'retired' || this.processors.has(instance.instanceId)) continue;
          const projection = this.registry.get(instance.name);
          if (!projection || projection.version !== instance.version) continue;
          this.run(instance.instanceId, instance.name);
        }
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  /**
   * The first instance of each projection (default rules) becomes current at once and catches up in place;
   * when a projection's version changed, a new instance is rebuilt beside each current one.
   */
  async ensureInstances(): Promise<void> {
    for (const projection of this.registry.values()) {
      const tables = tablesOf(projection);
      await this.deps.sql.transaction(async (tx) => {
        if (await findCurrentInstanceId(tx, projection.name, DEFAULT_RULE_SET)) return;
        const created = await createInstance(
          tx,
          { name: projection.name, version: projection.version, ruleSetId: DEFAULT_RULE_SET },
          resolveRules(projection, undefined),
          tables,
          'catching-up',
        );
        await setCurrentInstance(tx, projection.name, DEFAULT_RULE_SET, created.instanceId);
      });
      const instances = await listInstances(this.deps.sql, projection.name);
      const current = await Promise.all(
        [...new Set(instances.map((i) => i.ruleSetId))].map((ruleSetId) => findCurrentInstanceId(this.deps.sql, projection.name, ruleSetId)),
      );
      for (const currentId of current) {
        const instance = instances.find((i) => i.instanceId === currentId);
        if (!instance || instance.version >= projection.version) continue;
        const upgrade = instances.some(
          (i) => i.version === projection.version && i.ruleSetId === instance.ruleSetId && i.phase !== 'retired',
        );
        if (upgrade) continue;
        try {
          const rebuilt = await this.rebuild(projection.name, instance.ruleSetId);
          this.logger.log(`${projection.name} v${projection.version} is new: rebuilding ${rebuilt.instanceId} beside ${instance.instanceId}`);
        } catch (error) {
          this.logger.warn(`could not start the v${projection.version} rebuild of ${instance.instanceId}: ${(error as Error).message}`);
        }
      }
    }
  }

  /**
   * Creates a new instance of `name` (under a rule set, or the default rules) that catches up from the start
   * beside the current one and replaces it when it has caught up. A started engine runs it; so can run().
   */
  async rebuild(name: string, ruleSetId?: string | null): Promise<InstanceRecord> {
    const projection = this.definition(name);
    const ruleSet = normaliseRuleSetId(ruleSetId);
    let parameters: RuleValues | undefined;
    if (ruleSet !== DEFAULT_RULE_SET) {
      const found = await this.ruleSets.parameters(ruleSet);
      if (!found) throw new UnknownRuleSetError(ruleSet);
      parameters = found;
    }
    const rules = resolveRules(projection, parameters);
    await ensureEngineSchema(this.deps.sql);
    await ensureReadModelTables(this.deps.sql, projection);
    const instance = await this.deps.sql.transaction((tx) =>
      createInstance(tx, { name, version: projection.version, ruleSetId: ruleSet }, rules, tablesOf(projection), 'rebuilding'),
    );
    if (this.reconcileTimer && !this.stopped) this.run(instance.instanceId, name);
    return instance;
  }

  /** Deletes an instance that is not current: its rows, checkpoint and lease. */
  async drop(instanceId: string): Promise<void> {
    await ensureEngineSchema(this.deps.sql);
    await this.deps.sql.transaction(async (tx) => {
      // Same lock order as a batch transaction (lease, rows, instance): no deadlock with a running processor.
      // A segmented instance's leases are `<instance>#<n>`; its segment rows go with the instance row.
      await tx.query(`DELETE FROM projection_leases WHERE instance_id = $1 OR instance_id LIKE $1 || '#%'`, [instanceId]);
      const { rows } = await tx.query<{ name: string; rule_set_id: string; read_model_tables: string[] }>(
        'SELECT name, rule_set_id, read_model_tables FROM projection_instances WHERE instance_id = $1 FOR UPDATE',
        [instanceId],
      );
      const instance = rows[0];
      if (!instance) throw new UnknownInstanceError(instanceId);
      if ((await findCurrentInstanceId(tx, instance.name, instance.rule_set_id)) === instanceId) {
        throw new CannotDropCurrentError(instanceId);
      }
      const registered = this.registry.get(instance.name);
      const tables = new Set([...instance.read_model_tables, ...(registered ? tablesOf(registered) : [])]);
      await deleteInstanceRows(tx, [...tables], instanceId);
      await deleteInstanceRow(tx, instanceId);
    });
    await this.processors.get(instanceId)?.stop();
  }

  /** Asks the processor of a failed instance (wherever it runs) to try again. False when it has not failed. */
  async retry(instanceId: string): Promise<boolean> {
    await ensureEngineSchema(this.deps.sql);
    if (!(await findInstance(this.deps.sql, instanceId))) throw new UnknownInstanceError(instanceId);
    const asked = await requestRetry(this.deps.sql, instanceId);
    this.processors.get(instanceId)?.retry();
    return asked;
  }

  /** Records that a failed instance passes over the event it stopped at (with a reason), and lets it go on. */
  async skip(instanceId: string, eventId: string, reason: string, actor?: string): Promise<RecordedSkip> {
    await ensureEngineSchema(this.deps.sql);
    const skip = await skipFailedEvent(this.deps.sql, this.deps.store, { instanceId, eventId, reason, ...(actor ? { actor } : {}) });
    this.processors.get(instanceId)?.retry();
    return skip;
  }

  async status(name?: string): Promise<InstanceStatus[]> {
    await ensureEngineSchema(this.deps.sql);
    return instanceStatuses(this.deps.sql, this.deps.store, { ...(name ? { name } : {}), definitions: this.definitions() });
  }

  async instance(instanceId: string): Promise<InstanceRecord> {
    const instance = await findInstance(this.deps.sql, instanceId);
    if (!instance) throw new UnknownInstanceError(instanceId);
    return instance;
  }

  async currentInstanceId(name: string, ruleSetId?: string | null): Promise<string | null> {
    return findCurrentInstanceId(this.deps.sql, name, normaliseRuleSetId(ruleSetId));
  }
}
