/**
 * Runs webhooks in a serving process (where projection processors run, LESSONLOOP_RUN_PROJECTIONS): the
 * dispatcher loop turns the log into deliveries, the delivery loop sends them. Tables exist in every process,
 * since the list endpoints read them.
 */
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HttpAdapterHost } from '@nestjs/core';
import type { WebhookSubscribedData } from '../../contracts/webhooks.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { SubscribeWebhookCommand } from './commands/subscribe-webhook.command.js';
import { UnsubscribeWebhookCommand } from './commands/unsubscribe-webhook.command.js';
import { DeliveryWorker } from './delivery/delivery-worker.js';
import { WebhookDispatcher } from './delivery/webhook-dispatcher.js';
import { ensureWebhookTables } from './delivery/webhook-tables.js';
import { readWebhooksFile } from './webhooks-file.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';

const IDLE_MS = 200;
const ERROR_PAUSE_MS = 1000;

@Injectable()
export class WebhooksRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly stop = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    private readonly commands: CommandBus,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureWebhookTables(this.sql);
    const mode = this.config.LESSONLOOP_RUN_PROJECTIONS ?? 'auto';
    if (mode === 'never' || (mode === 'auto' && !this.adapterHost?.httpAdapter)) return;
    // A bad file stops the start here; its entries are applied once the dispatcher has caught up.
    const fromFile = this.settings.file ? readWebhooksFile(this.settings.file, this.settings.allowPrivate) : null;
    const dispatcher = new WebhookDispatcher(this.sql, this.store);
    let reconciled = fromFile === null;
    this.loops.push(
      this.loop('dispatch', () => dispatcher.pass(), async () => {
        if (reconciled) return;
        reconciled = true;
        await this.applyFile(fromFile!);
      }),
    );
    if (this.settings.delivery) {
      const worker = new DeliveryWorker(this.sql, this.settings.delivery);
      this.loops.push(this.loop('deliver', () => worker.pass()));
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.loops);
  }

  private async applyFile(subscriptions: WebhookSubscribedData[]): Promise<void> {
    for (const subscription of subscriptions) await this.commands.execute(new SubscribeWebhookCommand(subscription, 'webhooks-file'));
    const listed = new Set(subscriptions.map((s) => s.subscriptionId));
    const { rows } = await this.sql.query<{ subscription_id: string }>(
      `SELECT subscription_id FROM webhook_subscriptions WHERE active AND source = 'file'`,
    );
    for (const { subscription_id: id } of rows.filter((r) => !listed.has(r.subscription_id))) {
      await this.commands.execute(new UnsubscribeWebhookCommand(id, 'file', `no longer in ${this.settings.file}`, 'webhooks-file'));
    }
    this.logger.log(`webhooks file applied: ${subscriptions.length} subscription(s)`);
  }

  /** Runs `pass` until stopped: again at once after work, after IDLE_MS when idle (calling onIdle), after a pause on errors. */
  private async loop(name: string, pass: () => Promise<number>, onIdle?: () => Promise<void>): Promise<void> {
    while (!this.stop.signal.aborted) {
      let wait = 0;
      try {
        const done = await pass();
        if (done === 0) {
          if (onIdle) await onIdle();
          wait = IDLE_MS;
        }
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.logger.warn(`${name}: ${(error as Error).message}`);
        wait = ERROR_PAUSE_MS;
      }
      if (wait > 0) await this.pause(wait);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.stop.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
