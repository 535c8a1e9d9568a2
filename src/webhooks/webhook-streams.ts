import { deterministicEventId } from '../../contracts/event-id.js';

/** One stream per subscription: its subscribe and unsubscribe events. */
export const webhookStreamId = (subscriptionId: string) => `webhook-${subscriptionId}`;

/** A delivery is one event to one subscription: the same pair always gets the same id. */
export const webhookDeliveryId = (subscriptionId: string, eventId: string) =>
  deterministicEventId('webhook-delivery', subscriptionId, eventId);
