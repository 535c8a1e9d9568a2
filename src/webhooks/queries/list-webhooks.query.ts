import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import type { SubscriptionRow } from '../delivery/plan-deliveries.js';
import { subscriptionOf, type StoredSubscription } from '../delivery/subscription-table.js';

export interface WebhookSubscriptionView extends SubscriptionRow {
  deliveries: { pending: number; delivered: number; failed: number };
}

/** The subscriptions as the dispatcher has read them from the log (active and stopped), with delivery counts. */
export class ListWebhooksQuery extends Query<{ items: WebhookSubscriptionView[] }> {}

@QueryHandler(ListWebhooksQuery)
export class ListWebhooksHandler implements IQueryHandler<ListWebhooksQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute(): Promise<{ items: WebhookSubscriptionView[] }> {
    const { rows } = await this.sql.query<StoredSubscription & { pending: string; delivered: string; failed: string }>(
      `SELECT s.*,
              count(*) FILTER (WHERE d.status = 'pending') AS pending,
              count(*) FILTER (WHERE d.status = 'delivered') AS delivered,
              count(*) FILTER (WHERE d.status = 'failed') AS failed
         FROM webhook_subscriptions s LEFT JOIN webhook_deliveries d ON d.subscription_id = s.subscription_id
        GROUP BY s.subscription_id ORDER BY s.subscription_id`,
    );
    return {
      items: rows.map((r) => ({
        ...subscriptionOf(r),
        deliveries: { pending: Number(r.pending), delivered: Number(r.delivered), failed: Number(r.failed) },
      })),
    };
  }
}
