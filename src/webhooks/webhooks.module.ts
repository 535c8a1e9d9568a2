import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RedeliverWebhookHandler } from './commands/redeliver-webhook.command.js';
import { SubscribeWebhookHandler } from './commands/subscribe-webhook.command.js';
import { UnsubscribeWebhookHandler } from './commands/unsubscribe-webhook.command.js';
import { WebhooksController } from './http/webhooks.controller.js';
import { ListWebhookDeliveriesHandler } from './queries/list-webhook-deliveries.query.js';
import { ListWebhooksHandler } from './queries/list-webhooks.query.js';
import { WebhooksRunner } from './webhooks-runner.js';
import { WEBHOOK_SETTINGS, webhookSettingsOf } from './webhook-settings.js';

/** Webhooks: subscriptions in the log, deliveries from it (signed, at least once). See docs/webhooks.md. */
@Module({
  controllers: [WebhooksController],
  providers: [
    { provide: WEBHOOK_SETTINGS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => webhookSettingsOf(config) },
    SubscribeWebhookHandler,
    UnsubscribeWebhookHandler,
    RedeliverWebhookHandler,
    ListWebhooksHandler,
    ListWebhookDeliveriesHandler,
    WebhooksRunner,
  ],
})
export class WebhooksModule {}
