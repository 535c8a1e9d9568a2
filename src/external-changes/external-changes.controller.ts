import { Body, Controller, Get, HttpStatus, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { EXTERNAL_CHANGE_KINDS } from '../../contracts/external.js';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { actorOf, type AuthedRequest } from '../auth/request-actor.js';
import { IngestHttpErrorsFilter } from '../ingest/http/http-errors.filter.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parseQueryParams } from '../ingest/http/queries/list-query-params.js';
import { RecordExternalChangeCommand } from './commands/record-external-change.command.js';
import { ExternalChangeRejectedError, validateExternalChangeBody } from './dto/external-change-body.schema.js';
import { externalChangeFrom } from './external-change-events.js';
import {
  ExternalChangePageDto,
  ExternalChangeRejectedDto,
  RecordExternalChangeBodyDto,
  RecordExternalChangeResultDto,
} from './dto/external-change.dto.js';
import { ListExternalChangesQuery, listExternalChangesParamsSchema } from './queries/list-external-changes.query.js';

@ApiTags('external-changes')
@Controller('external-changes')
@UseFilters(IngestHttpErrorsFilter)
export class ExternalChangesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Record a change outside the lessons (ExternalChangeObserved)',
    description:
      'A model API update, a harness release, an infra incident... that can explain a shift in eval results. ' +
      'Re-sending the same change is a no-op (200); other content under an existing changeId is a 409.',
  })
  @ApiBody({ type: RecordExternalChangeBodyDto })
  @ApiCreatedResponse({ type: RecordExternalChangeResultDto, description: 'Recorded' })
  @ApiOkResponse({ type: RecordExternalChangeResultDto, description: 'Already recorded: nothing written' })
  @ApiBadRequestResponse({ type: ExternalChangeRejectedDto })
  @ApiConflictResponse({ description: 'The changeId is recorded with other content' })
  async record(
    @Body() body: unknown,
    @Req() request: AuthedRequest,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ) {
    const actor = actorOf(request);
    const validated = validateExternalChangeBody(body);
    if (!validated.ok) throw new ExternalChangeRejectedError(validated.problems);
    const result = await this.commands.execute(new RecordExternalChangeCommand(externalChangeFrom(validated.change), actor));
    response.status(result.status === 'recorded' ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'List external changes, newest first (by occurredAt)' })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}` })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'subject', required: false })
  @ApiQuery({ name: 'kind', required: false, enum: EXTERNAL_CHANGE_KINDS })
  @ApiQuery({ name: 'from', required: false, description: 'occurredAt >= from (ISO-8601)' })
  @ApiQuery({ name: 'to', required: false, description: 'occurredAt < to (ISO-8601)' })
  @ApiOkResponse({ type: ExternalChangePageDto })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  list(@Query() query: Record<string, unknown>) {
    return this.queries.execute(new ListExternalChangesQuery(parseQueryParams(listExternalChangesParamsSchema, query)));
  }
}
