/**
 * What one batch of the log means for webhooks, as a pure function: subscription events change the
 * subscriptions, and every other event becomes one delivery per subscription active at that point of the log
 * whose event types include it. A subscription gets the events after its own, never earlier ones.
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { WebhookSubscribedData, WebhookUnsubscribedData } from '../../../contracts/webhooks.js';
import { webhookDeliveryId } from '../webhook-streams.js';

export interface SubscriptionRow {
  subscriptionId: string;
  url: string;
  eventTypes: string[];
  source: string;
  description: string | null;
  active: boolean;
  changedAt: string;
}

export interface PlannedDelivery {
  deliveryId: string;
  subscriptionId: string;
  event: RecordedEvent;
}

export interface DeliveryPlan {
  /** Subscriptions the batch changed, as they stand after it. */
  changed: SubscriptionRow[];
  deliveries: PlannedDelivery[];
}

export function planDeliveries(current: ReadonlyMap<string, SubscriptionRow>, events: readonly RecordedEvent[]): DeliveryPlan {
  const subscriptions = new Map(current);
  const changed = new Set<string>();
  const deliveries: PlannedDelivery[] = [];
  for (const event of events) {
    if (event.type === 'WebhookSubscribed') {
      const data = event.data as WebhookSubscribedData;
      subscriptions.set(data.subscriptionId, {
        subscriptionId: data.subscriptionId,
        url: data.url,
        eventTypes: [...data.eventTypes],
        source: data.source,
        description: data.description ?? null,
        active: true,
        changedAt: event.metadata.occurredAt,
      });
      changed.add(data.subscriptionId);
      continue;
    }
    if (event.type === 'WebhookUnsubscribed') {
      const { subscriptionId } = event.data as WebhookUnsubscribedData;
      const row = subscriptions.get(subscriptionId);
      if (row) subscriptions.set(subscriptionId, { ...row, active: false, changedAt: event.metadata.occurredAt });
      changed.add(subscriptionId);
      continue;
    }
    for (const row of subscriptions.values()) {
      if (!row.active || !row.eventTypes.includes(event.type)) continue;
      deliveries.push({ deliveryId: webhookDeliveryId(row.subscriptionId, event.eventId), subscriptionId: row.subscriptionId, event });
    }
  }
  return { changed: [...changed].map((id) => subscriptions.get(id)!).filter(Boolean), deliveries };
}
