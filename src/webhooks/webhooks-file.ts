/**
 * The webhooks file (LESSONLOOP_WEBHOOKS_FILE): `{"webhooks": [{subscriptionId, url, eventTypes, description?}]}`.
 * Read and checked when the server starts (a bad file stops the start, naming the entry and field); applied once
 * the dispatcher has read the log: each entry is subscribed (a no-op when unchanged), and a subscription that
 * came from the file and is no longer in it is unsubscribed.
 */
import { readFileSync } from 'node:fs';
import type { WebhookSubscribedData } from '../../contracts/webhooks.js';
import { validateSubscription } from './domain/validate-subscription.js';

export class WebhooksFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Webhooks file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WebhooksFileError';
  }
}

export function readWebhooksFile(file: string, allowPrivate: boolean): WebhookSubscribedData[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new WebhooksFileError(file, [(error as Error).message]);
  }
  const entries = (parsed as { webhooks?: unknown })?.webhooks;
  if (!Array.isArray(entries)) throw new WebhooksFileError(file, ['webhooks: must be an array of subscriptions']);
  const problems: string[] = [];
  const subscriptions: WebhookSubscribedData[] = [];
  entries.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { subscriptionId?: unknown }).subscriptionId !== 'string') {
      problems.push(`webhooks[${i}].subscriptionId: required (a file entry keeps its id from start to start)`);
      return;
    }
    const validated = validateSubscription(entry as Record<string, unknown>, 'file', allowPrivate);
    if (validated.ok) subscriptions.push(validated.subscription);
    else problems.push(...validated.problems.map((p) => `webhooks[${i}].${p.field}: ${p.reason}`));
  });
  const ids = subscriptions.map((s) => s.subscriptionId);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) problems.push(`subscriptionId ${[...new Set(twice)].join(', ')} appears more than once`);
  if (problems.length > 0) throw new WebhooksFileError(file, problems);
  return subscriptions;
}
