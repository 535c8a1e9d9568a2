/**
 * The projection_instances / projection_current rows: thin functions, SQL beside them. int8 columns come
 * back as strings (see SqlExecutor), timestamptz as Date, jsonb parsed.
 */
import type { Position } from '../../../contracts/envelope.js';
import type { RuleValues } from '../../../projections/machinery/projection.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import { formatInstanceId, type InstanceIdentity } from './instance-id.js';

export type InstancePhase = 'catching-up' | 'live' | 'rebuilding' | 'retired';

/** Where and why a projection stopped. Positions as decimal strings (JSON). */
export interface ProjectionFailure {
  message: string;
  errorName: string;
  /** The database's SQLSTATE when it refused the event's values (e.g. 54000, 22001). */
  sqlState?: string;
  eventId: string;
  eventType: string;
  position: { commit: string; prepare: string };
  globalPosition: string;
  stack?: string;
  /** The segment that stopped there (a segmented instance). */
  segment?: number;
}

/** A processor retrying after errors that are not the event's fault (see processing/failures.ts). */
export interface RetryState {
  cause: 'transient' | 'missing-relation' | 'other';
  /** Attempts that failed in a row. */
  attempts: number;
  message: string;
  sqlState?: string;
  since: string;
  nextAttemptAt: string;
}

export interface InstanceRecord extends InstanceIdentity {
  instanceId: string;
  rules: RuleValues;
  /** The tables holding this instance's rows (to drop them even when the definition is gone). */
  readModelTables: string[];
  phase: InstancePhase;
  /** The last event applied (START before the first). */
  checkpoint: Position;
  eventsProcessed: number;
  lastGlobalPosition: bigint | null;
  lastRecordedAt: Date | null;
  eventsPerSecond: number | null;
  error: ProjectionFailure | null;
  failedAt: Date | null;
  retryRequestedAt: Date | null;
  /** Times it stopped at an event, ever. */
  failures: number;
  /** Retries after transient errors, ever. */
  retries: number;
  retry: RetryState | null;
  createdAt: Date;
  caughtUpAt: Date | null;
  updatedAt: Date;
}

interface InstanceRow {
  instance_id: string;
  name: string;
  version: number;
  rule_set_id: string;
  generation: number;
  rules: RuleValues;
  read_model_tables: string[];
  phase: InstancePhase;
  commit_position: string;
  prepare_position: string;
  events_processed: string;
  last_global_position: string | null;
  last_recorded_at: Date | null;
  events_per_second: number | null;
  error: ProjectionFailure | null;
  failed_at: Date | null;
  retry_requested_at: Date | null;
  failures: number | null;
  retries: string | null;
  retry: RetryState | null;
  created_at: Date;
  caught_up_at: Date | null;
  updated_at: Date;
}

function toRecord(row: InstanceRow): InstanceRecord {
  return {
    instanceId: row.instance_id,
    name: row.name,
    version: Number(row.version),
    ruleSetId: row.rule_set_id,
    generation: Number(row.generation),
    rules: row.rules,
    readModelTables: row.read_model_tables,
    phase: row.phase,
    checkpoint: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
    eventsProcessed: Number(row.events_processed),
    lastGlobalPosition: row.last_global_position === null ? null : BigInt(row.last_global_position),
    lastRecordedAt: row.last_recorded_at === null ? null : new Date(row.last_recorded_at),
    eventsPerSecond: row.events_per_second === null ? null : Number(row.events_per_second),
    error: row.error,
    failedAt: row.failed_at,
    retryRequestedAt: row.retry_requested_at,
    failures: Number(row.failures ?? 0),
    retries: Number(row.retries ?? 0),
    retry: row.retry ?? null,
    createdAt: row.created_at,
    caughtUpAt: row.caught_up_at,
    updatedAt: row.updated_at,
  };
}

/** Serialises instance creation (generation numbers) across processes; any constant shared by all of them. */
const CREATE_INSTANCE_LOCK_KEY = '7219540613104510078';

/** Creates the next generation of (name, version, rule set). Run inside a transaction. */
export async function createInstance(
  tx: SqlExecutor,
  identity: Omit<InstanceIdentity, 'generation'>,
  rules: RuleValues,
  readModelTables: readonly string[],
  phase: InstancePhase,
): Promise<InstanceRecord> {
  await tx.query(`SELECT pg_advisory_xact_lock(${CREATE_INSTANCE_LOCK_KEY})`);
  const { rows } = await tx.query<{ next: number }>(
    `SELECT COALESCE(MAX(generation), 0) + 1 AS next FROM projection_instances
      WHERE name = $1 AND version = $2 AND rule_set_id = $3`,
    [identity.name, identity.version, identity.ruleSetId],
  );
  const generation = Number(rows[0]!.next);
  const instanceId = formatInstanceId({ ...identity, generation });
  const inserted = await tx.query<InstanceRow>(
    `INSERT INTO projection_instances (instance_id, name, version, rule_set_id, generation, rules, read_model_tables, phase)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [
      instanceId,
      identity.name,
      identity.version,
      identity.ruleSetId,
      generation,
      JSON.stringify(rules),
      JSON.stringify(readModelTables),
      phase,
    ],
  );
  return toRecord(inserted.rows[0]!);
}

export async function findInstance(db: SqlExecutor, instanceId: string): Promise<InstanceRecord | null> {
  const { rows } = await db.query<InstanceRow>('SELECT * FROM projection_instances WHERE instance_id = $1', [instanceId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function listInstances(db: SqlExecutor, name?: string): Promise<InstanceRecord[]> {
  const { rows } = await db.query<InstanceRow>(
    `SELECT * FROM projection_instances WHERE $1::text IS NULL OR name = $1
      ORDER BY name, rule_set_id, version, generation`,
    [name ?? null],
  );
  return rows.map(toRecord);
}

/** The instance that answers queries for (name, rule set), or null when none was built yet. */
export async function findCurrentInstanceId(db: SqlExecutor, name: string, ruleSetId: string): Promise<string | null> {
  const { rows } = await db.query<{ instance_id: string }>(
    'SELECT instance_id FROM projection_current WHERE name = $1 AND rule_set_id = $2',
    [name, ruleSetId],
  );
  return rows[0]?.instance_id ?? null;
}

export async function listCurrentInstanceIds(db: SqlExecutor): Promise<Set<string>> {
  const { rows } = await db.query<{ instance_id: string }>('SELECT instance_id FROM projection_current');
  return new Set(rows.map((r) => r.instance_id));
}

export async function setCurrentInstance(tx: SqlExecutor, name: string, ruleSetId: string, instanceId: string): Promise<void> {
  await tx.query(
    `INSERT INTO projection_current (name, rule_set_id, instance_id) VALUES ($1, $2, $3)
     ON CONFLICT (name, rule_set_id) DO UPDATE SET instance_id = EXCLUDED.instance_id, switched_at = now()`,
    [name, ruleSetId, instanceId],
  );
}

export async function setPhase(db: SqlExecutor, instanceId: string, phase: InstancePhase): Promise<void> {
  await db.query(
    `UPDATE projection_instances
        SET phase = $2, updated_at = clock_timestamp(),
            caught_up_at = CASE WHEN $2 = 'live' THEN COALESCE(caught_up_at, clock_timestamp()) ELSE caught_up_at END
      WHERE instance_id = $1 AND phase <> 'retired'`,
    [instanceId, phase],
  );
}

export async function recordFailure(db: SqlExecutor, instanceId: string, failure: ProjectionFailure): Promise<void> {
  await db.query(
    `UPDATE projection_instances
        SET error = $2, failed_at = clock_timestamp(), failures = failures + 1, retry = NULL, updated_at = clock_timestamp()
      WHERE instance_id = $1`,
    [instanceId, JSON.stringify(failure)],
  );
}

/** Records a failed attempt of a retrying processor (and counts it). */
export async function recordRetry(db: SqlExecutor, instanceId: string, retry: RetryState): Promise<void> {
  await db.query(
    `UPDATE projection_instances SET retry = $2, retries = retries + 1, updated_at = clock_timestamp()
      WHERE instance_id = $1`,
    [instanceId, JSON.stringify(retry)],
  );
}

/** The processor got going again after retrying; `unrecorded` attempts could not be counted when they failed. */
export async function clearRetry(db: SqlExecutor, instanceId: string, unrecorded = 0): Promise<void> {
  await db.query(
    `UPDATE projection_instances SET retry = NULL, retries = retries + $2
      WHERE instance_id = $1 AND (retry IS NOT NULL OR $2 > 0)`,
    [instanceId, unrecorded],
  );
}

/** Asks the processor of a failed instance to try the failing event again. False when nothing failed. */
export async function requestRetry(db: SqlExecutor, instanceId: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE projection_instances SET retry_requested_at = clock_timestamp(), updated_at = clock_timestamp()
      WHERE instance_id = $1 AND error IS NOT NULL`,
    [instanceId],
  );
  return result.rowCount === 1;
}

export async function deleteInstanceRow(tx: SqlExecutor, instanceId: string): Promise<void> {
  await tx.query('DELETE FROM projection_instances WHERE instance_id = $1', [instanceId]);
}
