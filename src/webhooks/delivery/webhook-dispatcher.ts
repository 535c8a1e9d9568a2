/**
 * Turns the log into delivery rows, like a projection: read the events after the dispatch checkpoint, then in one
 * transaction move the checkpoint by compare-and-set and write the subscriptions and deliveries they mean. Two
 * processes may run it: the one whose compare-and-set fails writes nothing and reads again.
 */
import { START, type Position } from '../../../contracts/envelope.js';
import type { SqlClient, SqlExecutor } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { planDeliveries, type PlannedDelivery, type SubscriptionRow } from './plan-deliveries.js';
import { subscriptionOf, type StoredSubscription } from './subscription-table.js';
import { webhookBody } from './webhook-body.js';

const INSERT_CHUNK = 200;

export class WebhookDispatcher {
  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    private readonly batchSize = 1000,
  ) {}

  /** One batch: how many events it consumed (0: nothing new, or another process moved the checkpoint first). */
  async pass(): Promise<number> {
    const from = await this.checkpoint(this.sql);
    const events = await this.store.readAll({ ...(from.commit >= 0n ? { after: from } : {}), maxCount: this.batchSize });
    if (events.length === 0) return 0;
    const to = events[events.length - 1]!.position;
    return this.sql.transaction(async (tx) => {
      const moved = await tx.query(
        `UPDATE webhook_dispatch SET commit_position = $1, prepare_position = $2, updated_at = now()
          WHERE id = 1 AND commit_position = $3 AND prepare_position = $4`,
        [to.commit.toString(), to.prepare.toString(), from.commit.toString(), from.prepare.toString()],
      );
      if (moved.rowCount !== 1) return 0;
      const plan = planDeliveries(await this.subscriptions(tx), events);
      for (const row of plan.changed) await upsertSubscription(tx, row);
      for (let i = 0; i < plan.deliveries.length; i += INSERT_CHUNK) {
        await insertDeliveries(tx, plan.deliveries.slice(i, i + INSERT_CHUNK));
      }
      return events.length;
    });
  }

  async checkpoint(sql: SqlExecutor): Promise<Position> {
    const { rows } = await sql.query<{ commit_position: string; prepare_position: string }>(
      'SELECT commit_position, prepare_position FROM webhook_dispatch WHERE id = 1',
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) } : START;
  }

  private async subscriptions(sql: SqlExecutor): Promise<Map<string, SubscriptionRow>> {
    const { rows } = await sql.query<StoredSubscription>('SELECT * FROM webhook_subscriptions');
    return new Map(rows.map((r) => [r.subscription_id, subscriptionOf(r)]));
  }
}

async function upsertSubscription(tx: SqlExecutor, row: SubscriptionRow): Promise<void> {
  await tx.query(
    `INSERT INTO webhook_subscriptions (subscription_id, url, event_types, source, description, active, changed_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
     ON CONFLICT (subscription_id) DO UPDATE SET url = EXCLUDED.url, event_types = EXCLUDED.event_types,
       source = EXCLUDED.source, description = EXCLUDED.description, active = EXCLUDED.active, changed_at = EXCLUDED.changed_at`,
    [row.subscriptionId, row.url, JSON.stringify(row.eventTypes), row.source, row.description, row.active, row.changedAt],
  );
}

async function insertDeliveries(tx: SqlExecutor, deliveries: readonly PlannedDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  const params: unknown[] = [];
  const tuples = deliveries.map((d) => {
    params.push(d.deliveryId, d.subscriptionId, d.event.eventId, d.event.type, d.event.globalPosition.toString(), webhookBody(d.subscriptionId, d.deliveryId, d.event));
    const n = params.length;
    return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}, 'pending')`;
  });
  await tx.query(
    `INSERT INTO webhook_deliveries (delivery_id, subscription_id, event_id, event_type, global_position, body, status)
     VALUES ${tuples.join(', ')} ON CONFLICT (delivery_id) DO NOTHING`,
    params,
  );
}
