/** The webhook_subscriptions table as its rows come back from SQL, and the subscription each row holds. */
import type { SubscriptionRow } from './plan-deliveries.js';

export interface StoredSubscription {
  subscription_id: string;
  url: string;
  event_types: string[];
  source: string;
  description: string | null;
  active: boolean;
  changed_at: Date;
}

export function subscriptionOf(row: StoredSubscription): SubscriptionRow {
  return {
    subscriptionId: row.subscription_id,
    url: row.url,
    eventTypes: row.event_types,
    source: row.source,
    description: row.description,
    active: row.active,
    changedAt: row.changed_at.toISOString(),
  };
}
