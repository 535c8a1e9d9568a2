import type { RecordedEvent } from '../../../contracts/envelope.js';

/** The JSON a receiver gets: the event as the log holds it (current version), and which subscription sent it. */
export function webhookBody(subscriptionId: string, deliveryId: string, event: RecordedEvent): string {
  return JSON.stringify({
    deliveryId,
    subscriptionId,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    globalPosition: event.globalPosition.toString(),
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
  });
}
