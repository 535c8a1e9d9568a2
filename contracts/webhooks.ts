/**
 * Webhook subscriptions: which event kinds go to which URL. The subscription is in the log; its signing key is
 * not (it is derived from a server secret and the subscription id, see src/webhooks/signing.ts), so the log
 * never holds a credential.
 */
import { z } from 'zod';
import { defineEvent } from './event-definition.js';
import { freeText, identifier, pathString } from './limits.js';

export const WEBHOOK_SOURCES = ['api', 'file'] as const;

/** An absolute http(s) URL without credentials in it. */
export const webhookUrl = pathString.refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http:// or https:// URL without user or password' },
);

export const WebhookSubscribedSchema = z.strictObject({
  subscriptionId: identifier,
  url: webhookUrl,
  /** Event types delivered (catalogue names); at least one. */
  eventTypes: z.array(identifier).min(1).max(64),
  /** Where it was configured: the HTTP API or the webhooks file (a file entry that disappears is unsubscribed). */
  source: z.enum(WEBHOOK_SOURCES),
  description: freeText.optional(),
});
export type WebhookSubscribedData = z.infer<typeof WebhookSubscribedSchema>;
export const WebhookSubscribed = defineEvent('WebhookSubscribed', 1, WebhookSubscribedSchema);

export const WebhookUnsubscribedSchema = z.strictObject({
  subscriptionId: identifier,
  reason: freeText.optional(),
});
export type WebhookUnsubscribedData = z.infer<typeof WebhookUnsubscribedSchema>;
export const WebhookUnsubscribed = defineEvent('WebhookUnsubscribed', 1, WebhookUnsubscribedSchema);

export const webhookEventDefinitions = [WebhookSubscribed, WebhookUnsubscribed] as const;
