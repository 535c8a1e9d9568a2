import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { actorOf, type AuthedRequest } from '../../auth/request-actor.js';
import { RequiresScope } from '../../auth/requires-scope.decorator.js';
import { ProjectionEngine } from '../projection-engine.js';
import type { RecordedSkip } from '../instances/skips.js';
import type { InstanceStatus } from '../status/status.js';
import { mapErrors } from './http-errors.js';

interface RebuildBody {
  ruleSetId?: string;
}

@ApiTags('projections')
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly engine: ProjectionEngine) {}

  @Get()
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Every projection instance: position, lag (events, seconds), state, rate, progress, error',
    description:
      'state is catching-up, live, rebuilding (with progress: done/total/percent/etaSeconds), failed (with error: message, ' +
      'eventId, eventType, position, globalPosition) or retired. `current` marks the instance that answers queries for ' +
      'its (projection, rule set).',
  })
  @ApiQuery({ name: 'name', required: false, description: 'only the instances of this projection' })
  @ApiOkResponse({ description: '{ projections: [names], instances: [status] }' })
  async list(@Query('name') name?: string): Promise<{ projections: string[]; instances: InstanceStatus[] }> {
    return mapErrors(async () => {
      if (name) this.engine.definition(name);
      return {
        projections: this.engine.definitions().map((p) => p.name),
        instances: await this.engine.status(name || undefined),
      };
    });
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Rebuild a projection from the start beside the current instance',
    description:
      'Creates a new instance (under a rule set when ruleSetId is given) that catches up from position 0 while the ' +
      'current one keeps answering queries; once caught up it becomes current and the old one is retired (kept until ' +
      'DELETE /projections/instances/{instanceId}). Follow it in GET /projections.',
  })
  @ApiBody({ required: false, schema: { type: 'object', properties: { ruleSetId: { type: 'string' } } } })
  @ApiQuery({ name: 'ruleSet', required: false, description: 'rule set id (alternative to the body)' })
  @ApiAcceptedResponse({ description: 'The new instance, rebuilding' })
  @ApiNotFoundResponse({ description: 'Unknown projection' })
  @ApiBadRequestResponse({ description: 'Invalid or unknown rule set, or its parameters do not fit the projection' })
  async rebuild(
    @Param('name') name: string,
    @Body() body: RebuildBody | undefined,
    @Query('ruleSet') ruleSetQuery?: string,
  ): Promise<{ instanceId: string; name: string; version: number; ruleSetId: string | null; state: 'rebuilding' }> {
    return mapErrors(async () => {
      const ruleSetId = body?.ruleSetId ?? ruleSetQuery ?? null;
      const instance = await this.engine.rebuild(name, ruleSetId);
      return {
        instanceId: instance.instanceId,
        name: instance.name,
        version: instance.version,
        ruleSetId: instance.ruleSetId || null,
        state: 'rebuilding',
      };
    });
  }

  @Delete('instances/:instanceId')
  @HttpCode(204)
  @RequiresScope('write')
  @ApiOperation({ summary: 'Drop an instance that is not current: its rows, checkpoint and lease' })
  @ApiNoContentResponse({ description: 'Dropped' })
  @ApiNotFoundResponse({ description: 'Unknown instance' })
  @ApiConflictResponse({ description: 'The instance is current' })
  async drop(@Param('instanceId') instanceId: string): Promise<void> {
    await mapErrors(() => this.engine.drop(instanceId));
  }

  @Post('instances/:instanceId/retry')
  @HttpCode(202)
  @RequiresScope('write')
  @ApiOperation({ summary: 'Retry a failed instance at the event it stopped at' })
  @ApiAcceptedResponse({ description: '{ retrying: true } when it had failed, false otherwise' })
  @ApiNotFoundResponse({ description: 'Unknown instance' })
  async retry(@Param('instanceId') instanceId: string): Promise<{ retrying: boolean }> {
    return mapErrors(async () => ({ retrying: await this.engine.retry(instanceId) }));
  }

  @Post('instances/:instanceId/skip')
  @HttpCode(202)
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Let a failed instance pass over the event it stopped at, with a reason',
    description:
      'Recorded as a ProjectionEventSkipped event (shown in GET /projections under skipped); the instance resumes after ' +
      'that event. Only the event the instance stopped at can be skipped.',
  })
  @ApiBody({ schema: { type: 'object', required: ['eventId', 'reason'], properties: { eventId: { type: 'string' }, reason: { type: 'string' } } } })
  @ApiAcceptedResponse({ description: 'The recorded skip' })
  @ApiBadRequestResponse({ description: 'No reason, or a reason over 4,096 bytes' })
  @ApiNotFoundResponse({ description: 'Unknown instance' })
  @ApiConflictResponse({ description: 'The instance has not stopped at that event' })
  async skip(
    @Param('instanceId') instanceId: string,
    @Body() body: { eventId?: unknown; reason?: unknown } | undefined,
    @Req() request: AuthedRequest,
  ): Promise<RecordedSkip> {
    if (typeof body?.eventId !== 'string' || typeof body.reason !== 'string') {
      throw new BadRequestException('Give eventId (the event the instance stopped at) and reason, both strings');
    }
    const { eventId, reason } = body;
    return mapErrors(() => this.engine.skip(instanceId, eventId, reason, actorOf(request)));
  }
}
