import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Command } from 'commander';
import { loadAppConfig } from '../../config/app-config.js';
import { parseQueryParams } from '../../ingest/http/queries/list-query-params.js';
import { RedeliverWebhookCommand } from '../../webhooks/commands/redeliver-webhook.command.js';
import { SubscribeWebhookCommand } from '../../webhooks/commands/subscribe-webhook.command.js';
import { UnsubscribeWebhookCommand } from '../../webhooks/commands/unsubscribe-webhook.command.js';
import { validateSubscription } from '../../webhooks/domain/validate-subscription.js';
import { ListWebhookDeliveriesQuery, listDeliveriesParamsSchema, type WebhookDeliveryPage } from '../../webhooks/queries/list-webhook-deliveries.query.js';
import { ListWebhooksQuery, type WebhookSubscriptionView } from '../../webhooks/queries/list-webhooks.query.js';
import { webhookSigningKey } from '../../webhooks/signing.js';
import { WebhookInputError } from '../../webhooks/webhook-errors.js';
import { withAppContext } from '../support/app-context.js';
import { CliError } from '../support/known-errors.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';

export interface WebhooksCommandDeps {
  stdout: { write(text: string): unknown };
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

const defaultDeps: WebhooksCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) };
const ACTOR = 'cli';

function checkFormat(format: string): void {
  if (!['table', 'json'].includes(format)) throw new CliError(`--format must be table or json, got ${format}`, 2);
}

/** `lessonloop webhooks list|add|remove|deliveries|redeliver|key` (docs/webhooks.md). */
export function register(program: Command, deps: WebhooksCommandDeps = defaultDeps): void {
  const webhooks = program.command('webhooks').description('webhook subscriptions and their deliveries');
  const out = (text: string) => deps.stdout.write(text);

  webhooks
    .command('list')
    .description('subscriptions with their pending, delivered and failed counts')
    .option('--format <format>', 'table or json', 'table')
    .action(async (options: { format: string }, command: Command) => {
      checkFormat(options.format);
      const server = await serverTarget(command);
      const { items } = server
        ? await new ServerClient(server).get<{ items: WebhookSubscriptionView[] }>('/webhooks')
        : await deps.withContext((app) => app.get(QueryBus).execute(new ListWebhooksQuery()));
      if (options.format === 'json') return void out(`${JSON.stringify(items, null, 2)}\n`);
      if (items.length === 0) return void out('no webhook subscriptions\n');
      for (const s of items) {
        out(`${s.subscriptionId}  ${s.active ? 'active ' : 'stopped'}  ${s.url}  [${s.eventTypes.join(', ')}]  ` +
          `pending ${s.deliveries.pending}, delivered ${s.deliveries.delivered}, failed ${s.deliveries.failed}\n`);
      }
    });

  webhooks
    .command('add')
    .description('subscribe a URL to event types; prints the signing key its receiver verifies with')
    .argument('<url>', 'http(s) URL of the receiver')
    .requiredOption('--event <types...>', 'event types to deliver, e.g. LessonStatusChanged')
    .option('--id <subscriptionId>', 'a stable id (default: a new UUID)')
    .option('--description <text>', 'what the receiver is')
    .action(async (url: string, options: { event: string[]; id?: string; description?: string }, command: Command) => {
      const server = await serverTarget(command);
      if (server) {
        const body = { url, eventTypes: options.event, ...(options.id ? { subscriptionId: options.id } : {}), ...(options.description ? { description: options.description } : {}) };
        const answered = await new ServerClient(server).send<{ status: string; subscriptionId: string; signingKey: string }>('POST', '/webhooks', body);
        return void out(`${answered.status}: ${answered.subscriptionId}\nsigning key: ${answered.signingKey}\n`);
      }
      const allowPrivate = loadAppConfig().LESSONLOOP_WEBHOOKS_ALLOW_PRIVATE;
      const validated = validateSubscription({ subscriptionId: options.id, url, eventTypes: options.event, description: options.description }, 'api', allowPrivate);
      if (!validated.ok) throw new WebhookInputError(validated.problems);
      const result = await deps.withContext((app) => app.get(CommandBus).execute(new SubscribeWebhookCommand(validated.subscription, ACTOR)));
      out(`${result.status}: ${result.subscriptionId}\nsigning key: ${result.signingKey}\n`);
    });

  webhooks
    .command('remove')
    .description('stop a subscription (its pending deliveries are not sent)')
    .argument('<subscriptionId>')
    .option('--reason <text>', 'why, kept in the WebhookUnsubscribed event')
    .action(async (id: string, options: { reason?: string }, command: Command) => {
      const server = await serverTarget(command);
      if (server) await new ServerClient(server).send('DELETE', `/webhooks/${encodeURIComponent(id)}`, undefined, { reason: options.reason });
      else await deps.withContext((app) => app.get(CommandBus).execute(new UnsubscribeWebhookCommand(id, 'api', options.reason, ACTOR)));
      out(`unsubscribed: ${id}\n`);
    });

  webhooks
    .command('deliveries')
    .description('deliveries, newest event first')
    .option('--status <status>', 'pending, delivered or failed')
    .option('--subscription <id>', 'one subscription')
    .option('--event <eventId>', 'one event')
    .option('--limit <n>', 'rows per page (1-500)', '50')
    .option('--offset <n>', 'rows to skip', '0')
    .option('--format <format>', 'table or json', 'table')
    .action(async (options: { status?: string; subscription?: string; event?: string; limit: string; offset: string; format: string }, command: Command) => {
      checkFormat(options.format);
      const params = parseCliParams({
        ...(options.status ? { status: options.status } : {}),
        ...(options.subscription ? { subscriptionId: options.subscription } : {}),
        ...(options.event ? { eventId: options.event } : {}),
        limit: options.limit,
        offset: options.offset,
      });
      const server = await serverTarget(command);
      const page = server
        ? await new ServerClient(server).get<WebhookDeliveryPage>('/webhooks/deliveries', { ...params })
        : await deps.withContext((app) => app.get(QueryBus).execute(new ListWebhookDeliveriesQuery(params)));
      if (options.format === 'json') return void out(`${JSON.stringify(page, null, 2)}\n`);
      for (const d of page.items) {
        out(`${d.deliveryId}  ${d.status.padEnd(9)}  attempts ${d.attempts}  ${d.eventType} ${d.eventId}  -> ${d.subscriptionId}` +
          `${d.lastError ? `  (${d.lastError})` : ''}\n`);
      }
      out(`${page.items.length} of ${page.total} deliveries (offset ${page.offset})\n`);
    });

  webhooks
    .command('redeliver')
    .description('send a delivery again (pending, due now, a fresh attempt budget)')
    .argument('<deliveryId>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const server = await serverTarget(command);
      if (server) await new ServerClient(server).send('POST', `/webhooks/deliveries/${encodeURIComponent(id)}/redeliver`);
      else await deps.withContext((app) => app.get(CommandBus).execute(new RedeliverWebhookCommand(id, ACTOR)));
      out(`pending again: ${id}\n`);
    });

  webhooks
    .command('key')
    .description("a subscription's signing key, from LESSONLOOP_WEBHOOK_SECRET (for file-configured receivers)")
    .argument('<subscriptionId>')
    .action((id: string) => {
      const secret = loadAppConfig().LESSONLOOP_WEBHOOK_SECRET;
      if (!secret) throw new CliError('LESSONLOOP_WEBHOOK_SECRET is not set: signing keys derive from it', 2);
      out(`${webhookSigningKey(secret, id)}\n`);
    });
}

function parseCliParams(values: Record<string, unknown>) {
  try {
    return parseQueryParams(listDeliveriesParamsSchema, values);
  } catch (error) {
    throw new CliError((error as Error).message.replace('Invalid query parameters', 'Invalid options'), 2);
  }
}
