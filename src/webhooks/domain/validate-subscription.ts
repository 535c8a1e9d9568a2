/** A subscription as the API or the webhooks file gives it, checked against the contract and the server's rules. */
import { randomUUID } from 'node:crypto';
import { isKnownEventType } from '../../../contracts/catalogue.js';
import { WebhookSubscribedSchema, type WebhookSubscribedData } from '../../../contracts/webhooks.js';
import { literalHostProblem } from '../delivery/receiver-address.js';
import type { WebhookProblem } from '../webhook-errors.js';

export interface SubscriptionInput {
  subscriptionId?: unknown;
  url?: unknown;
  eventTypes?: unknown;
  description?: unknown;
}

export type ValidatedSubscription = { ok: true; subscription: WebhookSubscribedData } | { ok: false; problems: WebhookProblem[] };

export function validateSubscription(input: SubscriptionInput, source: 'api' | 'file', allowPrivate: boolean): ValidatedSubscription {
  const candidate = {
    subscriptionId: input.subscriptionId ?? randomUUID(),
    url: input.url,
    eventTypes: Array.isArray(input.eventTypes) ? [...new Set(input.eventTypes)] : input.eventTypes,
    source,
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  const parsed = WebhookSubscribedSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', reason: i.message })) };
  }
  const problems: WebhookProblem[] = parsed.data.eventTypes
    .map((type, i) => ({ type, i }))
    .filter(({ type }) => !isKnownEventType(type) || type.startsWith('Webhook'))
    .map(({ type, i }) => ({ field: `eventTypes.${i}`, reason: `${type} is not an event type webhooks deliver (docs/webhooks.md lists them)` }));
  const hostProblem = literalHostProblem(parsed.data.url, allowPrivate);
  if (hostProblem) problems.push({ field: 'url', reason: `${hostProblem}: refused unless LESSONLOOP_WEBHOOKS_ALLOW_PRIVATE is set` });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, subscription: parsed.data };
}
