import type { RecordedEvent } from '../../contracts/envelope.js';
import { planDeliveries, type SubscriptionRow } from '../../src/webhooks/delivery/plan-deliveries.js';
import { webhookDeliveryId } from '../../src/webhooks/webhook-streams.js';

let position = 0n;
function recorded(type: string, data: unknown, eventId = `00000000-0000-4000-8000-${String(++position).padStart(12, '0')}`): RecordedEvent {
  return {
    eventId,
    type,
    schemaVersion: 1,
    data,
    metadata: { occurredAt: '2026-12-07T10:00:00.000Z', source: 'test' },
    streamId: 's',
    streamRevision: 0n,
    position: { commit: position, prepare: position },
    globalPosition: position,
    recordedAt: new Date('2026-12-07T10:00:01.000Z'),
  };
}

const subscribe = (id: string, eventTypes: string[]) =>
  recorded('WebhookSubscribed', { subscriptionId: id, url: `https://example.com/${id}`, eventTypes, source: 'api' });

describe('planDeliveries', () => {
  it('delivers the events after a subscription, of its types only, once per subscription', () => {
    const before = recorded('LessonStatusChanged', {});
    const a = subscribe('a', ['LessonStatusChanged']);
    const b = subscribe('b', ['LessonStatusChanged', 'ExternalChangeObserved']);
    const decision = recorded('LessonStatusChanged', {});
    const change = recorded('ExternalChangeObserved', {});
    const plan = planDeliveries(new Map(), [before, a, b, decision, change]);
    expect(plan.deliveries.map((d) => [d.subscriptionId, d.event.eventId])).toEqual([
      ['a', decision.eventId],
      ['b', decision.eventId],
      ['b', change.eventId],
    ]);
    expect(plan.deliveries[0]!.deliveryId).toBe(webhookDeliveryId('a', decision.eventId));
    expect(plan.changed.map((s) => s.subscriptionId).sort()).toEqual(['a', 'b']);
  });

  it('stops at an unsubscribe and gives the same plan whatever the batch cut', () => {
    const events = [
      subscribe('a', ['ExternalChangeObserved']),
      recorded('ExternalChangeObserved', {}),
      recorded('WebhookUnsubscribed', { subscriptionId: 'a' }),
      recorded('ExternalChangeObserved', {}),
    ];
    const whole = planDeliveries(new Map(), events);
    expect(whole.deliveries.map((d) => d.event.eventId)).toEqual([events[1]!.eventId]);
    expect(whole.changed).toEqual([expect.objectContaining({ subscriptionId: 'a', active: false })]);

    const first = planDeliveries(new Map(), events.slice(0, 2));
    const state = new Map<string, SubscriptionRow>(first.changed.map((s) => [s.subscriptionId, s]));
    const second = planDeliveries(state, events.slice(2));
    expect([...first.deliveries, ...second.deliveries]).toEqual(whole.deliveries);
  });
});
