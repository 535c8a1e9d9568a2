/**
 * Sends due deliveries: claims a batch (a lease in `claimed_until`, with SKIP LOCKED so several processes share
 * the work), posts them, and records each answer. A failed attempt is retried with backoff until
 * `maxAttempts`, then the delivery is `failed` until someone redelivers it. A process that dies mid-send leaves
 * its claim to expire, and the delivery is sent again: at least once.
 */
import type { SqlClient } from '../../database/sql-client.js';
import { webhookSigningKey } from '../signing.js';
import { retryDelayMs } from './retry-delay.js';
import { sendWebhook, type SendResult } from './send-webhook.js';

export interface DeliverySettings {
  serverSecret: string;
  allowPrivate: boolean;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  concurrency: number;
  claimSeconds: number;
}

interface ClaimedRow {
  delivery_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  body: string;
  attempts: number;
  url: string;
}

export class DeliveryWorker {
  constructor(
    private readonly sql: SqlClient,
    private readonly settings: DeliverySettings,
  ) {}

  /** Sends one batch of due deliveries; resolves with how many it tried. */
  async pass(): Promise<number> {
    const claimed = await this.claim();
    for (let i = 0; i < claimed.length; i += this.settings.concurrency) {
      const slice = claimed.slice(i, i + this.settings.concurrency);
      const results = await Promise.all(slice.map((row) => this.send(row)));
      for (const [j, result] of results.entries()) await this.record(slice[j]!, result);
    }
    return claimed.length;
  }

  private async claim(): Promise<ClaimedRow[]> {
    const { rows } = await this.sql.query<ClaimedRow>(
      `WITH due AS (
         SELECT d.delivery_id FROM webhook_deliveries d
           JOIN webhook_subscriptions s ON s.subscription_id = d.subscription_id AND s.active
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.claimed_until IS NULL OR d.claimed_until < now())
          ORDER BY d.next_attempt_at, d.global_position
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE webhook_deliveries d SET claimed_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
         FROM due, webhook_subscriptions s
        WHERE d.delivery_id = due.delivery_id AND s.subscription_id = d.subscription_id
       RETURNING d.delivery_id, d.subscription_id, d.event_id, d.event_type, d.body, d.attempts, s.url`,
      [this.settings.concurrency * 4, this.settings.claimSeconds],
    );
    return rows;
  }

  private send(row: ClaimedRow): Promise<SendResult> {
    return sendWebhook(
      {
        url: row.url,
        body: row.body,
        eventId: row.event_id,
        eventType: row.event_type,
        deliveryId: row.delivery_id,
        signingKey: webhookSigningKey(this.settings.serverSecret, row.subscription_id),
      },
      { allowPrivate: this.settings.allowPrivate, timeoutMs: this.settings.timeoutMs },
    );
  }

  private async record(row: ClaimedRow, result: SendResult): Promise<void> {
    if (result.ok) {
      await this.sql.query(
        `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_status_code = $2, last_error = NULL,
                claimed_until = NULL WHERE delivery_id = $1`,
        [row.delivery_id, result.statusCode],
      );
      return;
    }
    const givesUp = row.attempts >= this.settings.maxAttempts;
    const delayMs = retryDelayMs(row.attempts, this.settings.retryBaseMs, this.settings.retryMaxMs);
    await this.sql.query(
      `UPDATE webhook_deliveries SET status = $2, next_attempt_at = now() + make_interval(secs => $3), last_status_code = $4,
              last_error = $5, claimed_until = NULL WHERE delivery_id = $1`,
      [row.delivery_id, givesUp ? 'failed' : 'pending', delayMs / 1000, result.statusCode, result.error.slice(0, 1000)],
    );
  }
}
