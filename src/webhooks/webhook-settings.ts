import type { AppConfig } from '../config/app-config.js';
import type { DeliverySettings } from './delivery/delivery-worker.js';

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');

export interface WebhookSettings {
  /** Null: webhooks are off (subscribing is refused, nothing is sent). */
  delivery: DeliverySettings | null;
  allowPrivate: boolean;
  file: string | undefined;
}

export function webhookSettingsOf(config: AppConfig): WebhookSettings {
  const secret = config.LESSONLOOP_WEBHOOK_SECRET;
  return {
    allowPrivate: config.LESSONLOOP_WEBHOOKS_ALLOW_PRIVATE,
    file: config.LESSONLOOP_WEBHOOKS_FILE,
    delivery: secret
      ? {
          serverSecret: secret,
          allowPrivate: config.LESSONLOOP_WEBHOOKS_ALLOW_PRIVATE,
          timeoutMs: config.LESSONLOOP_WEBHOOK_TIMEOUT_MS,
          retryBaseMs: config.LESSONLOOP_WEBHOOK_RETRY_BASE_MS,
          retryMaxMs: config.LESSONLOOP_WEBHOOK_RETRY_MAX_MS,
          maxAttempts: config.LESSONLOOP_WEBHOOK_MAX_ATTEMPTS,
          concurrency: 8,
          claimSeconds: Math.ceil((config.LESSONLOOP_WEBHOOK_TIMEOUT_MS * 2) / 1000) + 5,
        }
      : null,
  };
}
