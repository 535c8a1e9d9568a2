import type { SqlClient } from '../../database/sql-client.js';

/** Same constant in every lessonloop process: serialises concurrent first starts creating these tables. */
const WEBHOOK_SCHEMA_LOCK_KEY = '7219540613104510078';

/**
 * Webhook state in the read-model database (also when events live in EventStoreDB):
 * - webhook_dispatch: the log position up to which events became deliveries (one row, moved by compare-and-set
 *   in the transaction that writes the deliveries, so each delivery row is written once);
 * - webhook_subscriptions: the subscriptions as the log defines them up to that position;
 * - webhook_deliveries: one row per (subscription, event): the body to send and how sending went. Attempts are
 *   operational state, not events: a receiver's outage would otherwise fill the log with its retries.
 */
const statements = [
  `CREATE TABLE IF NOT EXISTS webhook_dispatch (
     id integer PRIMARY KEY CHECK (id = 1),
     commit_position bigint NOT NULL DEFAULT -1,
     prepare_position bigint NOT NULL DEFAULT -1,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `INSERT INTO webhook_dispatch (id) VALUES (1) ON CONFLICT (id) DO NOTHING`,
  `CREATE TABLE IF NOT EXISTS webhook_subscriptions (
     subscription_id text PRIMARY KEY,
     url text NOT NULL,
     event_types jsonb NOT NULL,
     source text NOT NULL,
     description text,
     active boolean NOT NULL,
     changed_at timestamptz NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS webhook_deliveries (
     delivery_id uuid PRIMARY KEY,
     subscription_id text NOT NULL,
     event_id uuid NOT NULL,
     event_type text NOT NULL,
     global_position bigint NOT NULL,
     body text NOT NULL,
     status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
     attempts integer NOT NULL DEFAULT 0,
     next_attempt_at timestamptz NOT NULL DEFAULT now(),
     claimed_until timestamptz,
     last_status_code integer,
     last_error text,
     created_at timestamptz NOT NULL DEFAULT now(),
     delivered_at timestamptz,
     redelivered_by text
   )`,
  `CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX IF NOT EXISTS webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, global_position)`,
];

const ensured = new WeakSet<SqlClient>();

export async function ensureWebhookTables(sql: SqlClient): Promise<void> {
  if (ensured.has(sql)) return;
  await sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${WEBHOOK_SCHEMA_LOCK_KEY})`);
    for (const statement of statements) await tx.query(statement);
  });
  ensured.add(sql);
}
