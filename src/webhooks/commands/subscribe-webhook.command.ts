import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WebhookSubscribedData } from '../../../contracts/webhooks.js';
import { handleCommand } from '../../common/commands/handle-command.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { webhookDecider } from '../domain/webhook-decider.js';
import { webhookSigningKey } from '../signing.js';
import { WebhooksOffError } from '../webhook-errors.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from '../webhook-settings.js';
import { webhookStreamId } from '../webhook-streams.js';

export interface SubscribeWebhookResult {
  status: 'subscribed' | 'unchanged';
  subscriptionId: string;
  /** The key the receiver verifies signatures with (HMAC-SHA256 of the server secret and the id). */
  signingKey: string;
}

/** Subscribe (or change) a webhook: a WebhookSubscribed event; the same settings again write nothing. */
export class SubscribeWebhookCommand extends Command<SubscribeWebhookResult> {
  constructor(
    readonly subscription: WebhookSubscribedData,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(SubscribeWebhookCommand)
export class SubscribeWebhookHandler implements ICommandHandler<SubscribeWebhookCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  async execute({ subscription, actor }: SubscribeWebhookCommand): Promise<SubscribeWebhookResult> {
    if (!this.settings.delivery) throw new WebhooksOffError();
    const { appended } = await handleCommand(this.store, webhookStreamId(subscription.subscriptionId), { kind: 'subscribe', subscription }, webhookDecider, {
      metadata: { occurredAt: new Date().toISOString(), source: subscription.source, ...(actor ? { actor } : {}) },
    });
    return {
      status: appended > 0 ? 'subscribed' : 'unchanged',
      subscriptionId: subscription.subscriptionId,
      signingKey: webhookSigningKey(this.settings.delivery.serverSecret, subscription.subscriptionId),
    };
  }
}
