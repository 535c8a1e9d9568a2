import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { z } from 'zod';
import { listLimit, listOffset } from '../../common/list-params.js';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const listDeliveriesParamsSchema = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  subscriptionId: z.string().min(1).max(256).optional(),
  eventId: z.uuid().optional(),
  limit: listLimit.default(50),
  offset: listOffset.default(0),
});
export type ListDeliveriesParams = z.infer<typeof listDeliveriesParamsSchema>;

export interface WebhookDeliveryView {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  globalPosition: string;
  status: (typeof DELIVERY_STATUSES)[number];
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  redeliveredBy: string | null;
}

export interface WebhookDeliveryPage {
  items: WebhookDeliveryView[];
  total: number;
  offset: number;
  limit: number;
}

/** Deliveries, newest event first, filtered by status, subscription or event. */
export class ListWebhookDeliveriesQuery extends Query<WebhookDeliveryPage> {
  constructor(readonly params: ListDeliveriesParams) {
    super();
  }
}

@QueryHandler(ListWebhookDeliveriesQuery)
export class ListWebhookDeliveriesHandler implements IQueryHandler<ListWebhookDeliveriesQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ params }: ListWebhookDeliveriesQuery): Promise<WebhookDeliveryPage> {
    const where: string[] = [];
    const values: unknown[] = [];
    for (const [column, value] of [
      ['status', params.status],
      ['subscription_id', params.subscriptionId],
      ['event_id', params.eventId],
    ] as const) {
      if (value === undefined) continue;
      values.push(value);
      where.push(`${column} = $${values.length}`);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.sql.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_deliveries ${filter}`, values);
    const { rows } = await this.sql.query<Record<string, unknown>>(
      `SELECT * FROM webhook_deliveries ${filter} ORDER BY global_position DESC, subscription_id
        LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, params.limit, params.offset],
    );
    return { items: rows.map(deliveryView), total: Number(total.rows[0]!.n), offset: params.offset, limit: params.limit };
  }
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : null);

function deliveryView(r: Record<string, unknown>): WebhookDeliveryView {
  const status = r.status as WebhookDeliveryView['status'];
  return {
    deliveryId: String(r.delivery_id),
    subscriptionId: String(r.subscription_id),
    eventId: String(r.event_id),
    eventType: String(r.event_type),
    globalPosition: String(r.global_position),
    status,
    attempts: Number(r.attempts),
    nextAttemptAt: status === 'pending' ? iso(r.next_attempt_at) : null,
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    deliveredAt: iso(r.delivered_at),
    redeliveredBy: (r.redelivered_by as string | null) ?? null,
  };
}
