import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '../../common/commands/handle-command.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { webhookDecider } from '../domain/webhook-decider.js';
import { webhookStreamId } from '../webhook-streams.js';

/** Stop a subscription (WebhookUnsubscribed); its pending deliveries are no longer sent. UnknownWebhookError when none is active. */
export class UnsubscribeWebhookCommand extends Command<{ subscriptionId: string; status: 'unsubscribed' }> {
  constructor(
    readonly subscriptionId: string,
    readonly source: 'api' | 'file',
    readonly reason?: string,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(UnsubscribeWebhookCommand)
export class UnsubscribeWebhookHandler implements ICommandHandler<UnsubscribeWebhookCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ subscriptionId, source, reason, actor }: UnsubscribeWebhookCommand) {
    await handleCommand(this.store, webhookStreamId(subscriptionId), { kind: 'unsubscribe', subscriptionId, ...(reason ? { reason } : {}) }, webhookDecider, {
      metadata: { occurredAt: new Date().toISOString(), source, ...(actor ? { actor } : {}) },
    });
    return { subscriptionId, status: 'unsubscribed' as const };
  }
}
