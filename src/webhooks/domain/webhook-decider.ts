import type { WebhookSubscribedData } from '../../../contracts/webhooks.js';
import type { Decider } from '../../common/commands/decider.js';

export type WebhookCommand =
  | { kind: 'subscribe'; subscription: WebhookSubscribedData }
  | { kind: 'unsubscribe'; subscriptionId: string; reason?: string };

export interface WebhookState {
  /** The subscription in force; null before the first subscribe and after an unsubscribe. */
  active: WebhookSubscribedData | null;
}

export type WebhookEvent =
  | { type: 'WebhookSubscribed'; data: WebhookSubscribedData }
  | { type: 'WebhookUnsubscribed'; data: { subscriptionId: string; reason?: string } };

export class UnknownWebhookError extends Error {
  constructor(readonly subscriptionId: string) {
    super(`No webhook subscription ${subscriptionId} is active`);
    this.name = 'UnknownWebhookError';
  }
}

const sameSubscription = (a: WebhookSubscribedData, b: WebhookSubscribedData) =>
  a.url === b.url &&
  a.source === b.source &&
  (a.description ?? null) === (b.description ?? null) &&
  a.eventTypes.length === b.eventTypes.length &&
  a.eventTypes.every((type, i) => type === b.eventTypes[i]);

/** Subscribing again with other settings replaces them; the same settings again change nothing. */
export const webhookDecider: Decider<WebhookCommand, WebhookState, WebhookEvent> = {
  initialState: () => ({ active: null }),
  evolve: (state, event) => {
    if (event.type === 'WebhookSubscribed') return { active: event.data };
    if (event.type === 'WebhookUnsubscribed') return { active: null };
    return state;
  },
  decide: (command, state) => {
    if (command.kind === 'subscribe') {
      if (state.active && sameSubscription(state.active, command.subscription)) return [];
      return [{ type: 'WebhookSubscribed', data: command.subscription }];
    }
    if (!state.active) throw new UnknownWebhookError(command.subscriptionId);
    const data = { subscriptionId: command.subscriptionId, ...(command.reason ? { reason: command.reason } : {}) };
    return [{ type: 'WebhookUnsubscribed', data }];
  },
};
