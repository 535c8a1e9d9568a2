import { UnknownWebhookError, webhookDecider } from '../../src/webhooks/domain/webhook-decider.js';
import { deciderSpec } from '../support/decider-spec.js';

const spec = deciderSpec(webhookDecider);
const subscription = { subscriptionId: 'ops', url: 'https://hooks.example.com/ll', eventTypes: ['LessonStatusChanged'], source: 'api' as const };
const subscribed = { type: 'WebhookSubscribed' as const, data: subscription };

describe('webhook decider', () => {
  it('subscribes a new subscription', () => {
    spec.given([]).when({ kind: 'subscribe', subscription }).then([subscribed]);
  });

  it('writes nothing when the same settings are sent again', () => {
    spec.given([subscribed]).when({ kind: 'subscribe', subscription }).thenNothing();
  });

  it('replaces the settings when they change', () => {
    const changed = { ...subscription, eventTypes: ['LessonStatusChanged', 'LessonFlaggedForMutation'] };
    spec.given([subscribed]).when({ kind: 'subscribe', subscription: changed }).then([{ type: 'WebhookSubscribed', data: changed }]);
  });

  it('unsubscribes an active subscription with its reason', () => {
    spec
      .given([subscribed])
      .when({ kind: 'unsubscribe', subscriptionId: 'ops', reason: 'receiver retired' })
      .then([{ type: 'WebhookUnsubscribed', data: { subscriptionId: 'ops', reason: 'receiver retired' } }]);
  });

  it('refuses to unsubscribe what is not active', () => {
    spec.given([]).when({ kind: 'unsubscribe', subscriptionId: 'ops' }).thenThrows(UnknownWebhookError);
    spec
      .given([subscribed, { type: 'WebhookUnsubscribed', data: { subscriptionId: 'ops' } }])
      .when({ kind: 'unsubscribe', subscriptionId: 'ops' })
      .thenThrows(UnknownWebhookError);
  });
});
