import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { freeText } from '../../../contracts/limits.js';
import { RequiresScope } from '../../auth/requires-scope.decorator.js';
import { actorOf, type AuthedRequest } from '../../auth/request-actor.js';
import { parseQueryParams } from '../../ingest/http/queries/list-query-params.js';
import { RedeliverWebhookCommand } from '../commands/redeliver-webhook.command.js';
import { SubscribeWebhookCommand } from '../commands/subscribe-webhook.command.js';
import { UnsubscribeWebhookCommand } from '../commands/unsubscribe-webhook.command.js';
import { validateSubscription, type SubscriptionInput } from '../domain/validate-subscription.js';
import { ListWebhookDeliveriesQuery, listDeliveriesParamsSchema } from '../queries/list-webhook-deliveries.query.js';
import { ListWebhooksQuery } from '../queries/list-webhooks.query.js';
import { WebhookInputError } from '../webhook-errors.js';
import { WebhookErrorsFilter } from './webhook-errors.filter.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from '../webhook-settings.js';

const unsubscribeParams = z.strictObject({ reason: freeText.optional() });

@ApiTags('webhooks')
@Controller('webhooks')
@UseFilters(WebhookErrorsFilter)
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'Webhook subscriptions, with their delivery counts' })
  list(@Query() query: Record<string, unknown>) {
    parseQueryParams(z.strictObject({}), query);
    return this.queries.execute(new ListWebhooksQuery());
  }

  @Post()
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Subscribe a URL to event types (WebhookSubscribed)',
    description: 'Body {subscriptionId?, url, eventTypes, description?}. Answers the signing key the receiver verifies with.',
  })
  async subscribe(@Body() body: unknown, @Req() request: AuthedRequest, @Res({ passthrough: true }) response: { status(code: number): unknown }) {
    const input = (typeof body === 'object' && body !== null ? body : {}) as SubscriptionInput;
    const validated = validateSubscription(input, 'api', this.settings.allowPrivate);
    if (!validated.ok) throw new WebhookInputError(validated.problems);
    const result = await this.commands.execute(new SubscribeWebhookCommand(validated.subscription, actorOf(request)));
    response.status(result.status === 'subscribed' ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }

  @Delete(':subscriptionId')
  @RequiresScope('write')
  @ApiOperation({ summary: 'Stop a subscription (WebhookUnsubscribed); ?reason= is recorded' })
  unsubscribe(@Param('subscriptionId') subscriptionId: string, @Query() query: Record<string, unknown>, @Req() request: AuthedRequest) {
    const { reason } = parseQueryParams(unsubscribeParams, query);
    return this.commands.execute(new UnsubscribeWebhookCommand(subscriptionId, 'api', reason, actorOf(request)));
  }

  @Get('deliveries')
  @RequiresScope('read')
  @ApiOperation({ summary: 'Deliveries, newest event first: ?status=pending|delivered|failed&subscriptionId=&eventId=&limit=&offset=' })
  deliveries(@Query() query: Record<string, unknown>) {
    return this.queries.execute(new ListWebhookDeliveriesQuery(parseQueryParams(listDeliveriesParamsSchema, query)));
  }

  @Post('deliveries/:deliveryId/redeliver')
  @RequiresScope('write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Send a delivery again (back to pending, due now, a fresh attempt budget)' })
  redeliver(@Param('deliveryId') deliveryId: string, @Req() request: AuthedRequest) {
    return this.commands.execute(new RedeliverWebhookCommand(deliveryId, actorOf(request)));
  }
}
