import type { SqlClient } from '../../database/sql-client.js';

/** Same constant in every lessonloop process: serialises concurrent first starts creating these tables. */
const ENGINE_SCHEMA_LOCK_KEY = '7219540613104510077';

/**
 * The engine's own tables, in the read-model database (also when the events live in EventStoreDB).
 * - projection_instances: one row per (name, version, rule set, generation): its checkpoint (the position
 *   of the last event applied, moved only by compare-and-set together with the read-model changes), its
 *   phase, its recorded failure, and the numbers status/metrics show.
 * - projection_current: which instance answers queries for (name, rule set): the blue/green pointer.
 * - projection_leases: which process projects an instance, or one segment of it (`<instance>#<n>`), now:
 *   a lease row with an expiry.
 * - projection_segments: the checkpoint of each segment of a segmented instance (see instances/segments.ts).
 * - projection_workers: the processes projecting segments, each seen within a lease's lifetime (fair shares).
 */
const statements = [
  `CREATE TABLE IF NOT EXISTS projection_instances (
    instance_id text PRIMARY KEY,
    name text NOT NULL,
    version integer NOT NULL,
    rule_set_id text NOT NULL DEFAULT '',
    generation integer NOT NULL,
    rules jsonb NOT NULL,
    read_model_tables jsonb NOT NULL DEFAULT '[]',
    phase text NOT NULL CHECK (phase IN ('catching-up', 'live', 'rebuilding', 'retired')),
    commit_position bigint NOT NULL DEFAULT -1,
    prepare_position bigint NOT NULL DEFAULT -1,
    events_processed bigint NOT NULL DEFAULT 0,
    last_global_position bigint,
    last_recorded_at timestamptz,
    events_per_second double precision,
    error jsonb,
    failed_at timestamptz,
    retry_requested_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    caught_up_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, version, rule_set_id, generation)
  )`,
  // failures: how many times the instance stopped at an event; retries: transient errors retried in all;
  // retry: the retrying now (cause, attempts, last error, next attempt), null when the last attempt worked.
  `ALTER TABLE projection_instances
     ADD COLUMN IF NOT EXISTS failures integer NOT NULL DEFAULT 0,
     ADD COLUMN IF NOT EXISTS retries bigint NOT NULL DEFAULT 0,
     ADD COLUMN IF NOT EXISTS retry jsonb`,
  `CREATE TABLE IF NOT EXISTS projection_current (
    name text NOT NULL,
    rule_set_id text NOT NULL DEFAULT '',
    instance_id text NOT NULL REFERENCES projection_instances (instance_id),
    switched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, rule_set_id)
  )`,
  `CREATE TABLE IF NOT EXISTS projection_leases (
    instance_id text PRIMARY KEY,
    owner text NOT NULL,
    acquired_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS projection_segments (
    instance_id text NOT NULL REFERENCES projection_instances (instance_id) ON DELETE CASCADE,
    segment integer NOT NULL,
    segments integer NOT NULL,
    commit_position bigint NOT NULL,
    prepare_position bigint NOT NULL,
    events_processed bigint NOT NULL DEFAULT 0,
    events_per_second double precision,
    caught_up_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, segment)
  )`,
  `CREATE TABLE IF NOT EXISTS projection_workers (
    worker_id text PRIMARY KEY,
    seen_at timestamptz NOT NULL
  )`,
];

const ensured = new WeakSet<SqlClient>();

/** Creates the engine's tables when missing. Idempotent, safe when several processes start together. */
export async function ensureEngineSchema(sql: SqlClient): Promise<void> {
  if (ensured.has(sql)) return;
  await sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${ENGINE_SCHEMA_LOCK_KEY})`);
    for (const statement of statements) await tx.query(statement);
  });
  ensured.add(sql);
}
