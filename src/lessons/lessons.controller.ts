import { Body, Controller, Get, Headers, HttpCode, HttpStatus, NotFoundException, Param, Patch, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { LESSON_STATUSES } from '../../contracts/lesson.js';
import type { TermKind } from '../../projections/lessons/lesson-keyword-index.js';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { actorOf, type AuthedRequest as AuthRequest } from '../auth/request-actor.js';
import { parseQueryParams } from '../ingest/http/queries/list-query-params.js';
import { ChangeLessonCommand } from './commands/change-lesson.command.js';
import { CreateLessonCommand } from './commands/create-lesson.command.js';
import { MutateLessonCommand } from './commands/mutate-lesson.command.js';
import type { LessonState } from './domain/lesson-state.js';
import {
  ChangeLessonBodyDto,
  CreateLessonBodyDto,
  LessonConflictDto,
  LessonRejectedDto,
  MatchLessonsBodyDto,
  MutateLessonBodyDto,
} from './http/lesson.dto.js';
import { changeCommandsFrom, createCommandFrom, mutateCommandFrom } from './http/lesson-commands-from-body.js';
import { etagOf, parseBody, revisionFromIfMatch, RevisionRequiredError } from './http/lesson-request-errors.js';
import {
  changeLessonBodySchema,
  createLessonBodySchema,
  getLessonParamsSchema,
  matchLessonsBodySchema,
  mutateLessonBodySchema,
} from './http/lesson-request.schemas.js';
import { LessonsHttpErrorsFilter } from './http/lessons-http-errors.filter.js';
import { GetLessonTimelineQuery } from './queries/get-lesson-timeline.query.js';
import { GetLessonQuery } from './queries/get-lesson.query.js';
import { toLessonView } from './queries/lesson-view.js';
import { ListLessonTermsQuery } from './queries/list-lesson-terms.query.js';
import { MAX_LIST_LIMIT } from '../common/list-params.js';
import { LESSON_SORT_KEYS, listLessonsPageParamsSchema, listTermsPageParamsSchema } from './queries/list-lessons-params.js';
import { ListLessonsQuery } from './queries/list-lessons.query.js';
import { MatchLessonsQuery } from './queries/match-lessons.query.js';

interface HeaderResponse {
  header(name: string, value: string): unknown;
}

const READ_MODEL_NOTE = 'Read from the lesson read models, which follow the event store within moments of a write.';

@ApiTags('lessons')
@Controller('lessons')
@UseFilters(LessonsHttpErrorsFilter)
export class LessonsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'The lesson catalogue, or the lessons as they were at a past instant (asOf)', description: READ_MODEL_NOTE })
  @ApiQuery({ name: 'status', required: false, description: `Comma-separated: ${LESSON_STATUSES.join(', ')}` })
  @ApiQuery({ name: 'category', required: false })
  @ApiQuery({ name: 'keyword', required: false, description: 'Lessons whose match holds this keyword (case-insensitive)' })
  @ApiQuery({ name: 'includeDeleted', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 instant: state from the events that had happened by then (world time)' })
  @ApiQuery({ name: 'q', required: false, description: 'Text: case-insensitive substring of the id, title, description or path' })
  @ApiQuery({ name: 'sort', required: false, enum: LESSON_SORT_KEYS, description: 'Sorts the whole filtered list before paging (default path; lessons without a file last)' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'], description: 'asc (default) or desc' })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST_LIMIT}; absent: every lesson` })
  @ApiQuery({ name: 'offset', required: false, description: 'Lessons skipped (default 0); past the end: an empty page with the total' })
  @ApiOkResponse({ description: '{ items: lessons (with revision and sections), total, offset, limit, asOf }' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  list(@Query() query: Record<string, unknown>) {
    return this.queries.execute(new ListLessonsQuery(parseQueryParams(listLessonsPageParamsSchema, query)));
  }

  @Get('keywords')
  @RequiresScope('read')
  @ApiOperation({ summary: 'The keyword index: match terms (keywords, patterns, tools, session categories) and the lessons holding them', description: READ_MODEL_NOTE })
  @ApiQuery({ name: 'kind', required: false, enum: ['keyword', 'pattern', 'tool', 'session-category'] })
  @ApiQuery({ name: 'q', required: false, description: 'Terms containing this text (case-insensitive)' })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST_LIMIT}; absent: every term` })
  @ApiQuery({ name: 'offset', required: false, description: 'Terms skipped (default 0)' })
  @ApiOkResponse({ description: '{ items: [{ kind, term, lessonIds, spellings }], total, offset, limit }, in term key order' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  keywords(@Query() query: Record<string, unknown>) {
    const params = parseQueryParams(listTermsPageParamsSchema, query);
    const page = { offset: params.offset, ...(params.limit !== undefined ? { limit: params.limit } : {}) };
    return this.queries.execute(new ListLessonTermsQuery(params.kind as TermKind | undefined, params.q, page));
  }

  @Post('match')
  @RequiresScope('read')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'The active lessons matching a text (and the tools used), with scores',
    description:
      "gptme's rules: each keyword found in the text (case-insensitive substring, `*` = zero or more word characters) " +
      'scores 1, each regex pattern found scores 1, each of the lesson\'s tools among `tools` scores 2; best first. ' +
      READ_MODEL_NOTE,
  })
  @ApiBody({ type: MatchLessonsBodyDto })
  @ApiOkResponse({ description: '{ matches: [{ lessonId, title, category, path, revision, score, matchedBy }], activeLessons }' })
  @ApiBadRequestResponse({ type: LessonRejectedDto })
  match(@Body() body: unknown) {
    return this.queries.execute(new MatchLessonsQuery(parseBody(matchLessonsBodySchema, body)));
  }

  @Get(':id')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'One lesson, read from its own stream; the ETag is its revision (send it back as If-Match to edit)',
    description: 'With asOf: the lesson as it was at that instant (world time), folded from its events up to then.',
  })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiOkResponse({ description: 'The lesson (with revision and sections)' })
  @ApiNotFoundResponse({ description: 'No such lesson (or it did not exist yet at asOf)' })
  async get(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: HeaderResponse) {
    const { asOf } = parseQueryParams(getLessonParamsSchema, query);
    const lesson = await this.queries.execute(new GetLessonQuery(id, asOf ? new Date(asOf) : undefined));
    if (!lesson) throw new NotFoundException(asOf ? `Lesson ${id} did not exist at ${asOf}` : `Lesson ${id} does not exist`);
    if (!asOf) response.header('ETag', etagOf(lesson.revision));
    return lesson;
  }

  @Get(':id/timeline')
  @RequiresScope('read')
  @ApiOperation({ summary: "Every change of the lesson's life: fields before/after, time, actor, source, reason", description: READ_MODEL_NOTE })
  @ApiOkResponse({ description: '{ lessonId, entries: [{ revision, type, occurredAt, actor, source, reason, decidedBy, changes }] }' })
  @ApiNotFoundResponse({ description: 'No such lesson in the read model (yet)' })
  async timeline(@Param('id') id: string) {
    const timeline = await this.queries.execute(new GetLessonTimelineQuery(id));
    if (!timeline) throw new NotFoundException(`Lesson ${id} has no timeline (unknown, or not projected yet)`);
    return timeline;
  }

  @Post()
  @RequiresScope('write')
  @ApiOperation({ summary: 'Create a lesson (LessonCreated)' })
  @ApiBody({ type: CreateLessonBodyDto })
  @ApiCreatedResponse({ description: 'The lesson at revision 0; ETag and Location set' })
  @ApiBadRequestResponse({ type: LessonRejectedDto, description: 'Malformed body' })
  @ApiUnprocessableEntityResponse({ type: LessonRejectedDto, description: 'Refused by the lesson rules (empty keyword, unknown status...); nothing written' })
  @ApiConflictResponse({ description: 'A lesson with this id exists' })
  async create(@Body() body: unknown, @Req() request: AuthRequest, @Res({ passthrough: true }) response: HeaderResponse) {
    const state = await this.commands.execute(new CreateLessonCommand(createCommandFrom(parseBody(createLessonBodySchema, body)), actorOf(request)));
    return written(response, state, true);
  }

  @Patch(':id')
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Edit a lesson at the revision you read: fields, match (add/remove) and status, in one change',
    description:
      'If-Match must carry the revision the edit was made on (the ETag of GET /lessons/:id). When the lesson has moved on, ' +
      'the answer is 409 with the current revision (body and ETag) and nothing is written: read it again and re-apply.',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The revision edited, e.g. "3"' })
  @ApiBody({ type: ChangeLessonBodyDto })
  @ApiOkResponse({ description: 'The lesson after the change; ETag = its new revision' })
  @ApiBadRequestResponse({ type: LessonRejectedDto })
  @ApiNotFoundResponse({ description: 'No such lesson' })
  @ApiConflictResponse({ type: LessonConflictDto, description: 'Stale revision' })
  @ApiUnprocessableEntityResponse({ type: LessonRejectedDto, description: 'Refused by the lesson rules (e.g. archiving an archived lesson); nothing written' })
  @ApiResponse({ status: HttpStatus.PRECONDITION_REQUIRED, description: 'If-Match missing' })
  async change(
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: unknown,
    @Req() request: AuthRequest,
    @Res({ passthrough: true }) response: HeaderResponse,
  ) {
    const revision = revisionFromIfMatch(ifMatch);
    const parsed = parseBody(changeLessonBodySchema, body);
    if (revision === null) throw new RevisionRequiredError(id);
    const state = await this.commands.execute(new ChangeLessonCommand(id, revision, changeCommandsFrom(parsed), actorOf(request)));
    return written(response, state, false);
  }

  @Post(':id/variants')
  @RequiresScope('write')
  @ApiOperation({ summary: 'Make a variant of a lesson (LessonMutated): a new lesson, draft by default, in its own stream' })
  @ApiBody({ type: MutateLessonBodyDto })
  @ApiCreatedResponse({ description: 'The variant at revision 0' })
  @ApiNotFoundResponse({ description: 'No such parent lesson' })
  @ApiConflictResponse({ description: 'A lesson with the variant id exists' })
  @ApiUnprocessableEntityResponse({ type: LessonRejectedDto })
  async mutate(@Param('id') id: string, @Body() body: unknown, @Req() request: AuthRequest, @Res({ passthrough: true }) response: HeaderResponse) {
    const state = await this.commands.execute(new MutateLessonCommand(id, mutateCommandFrom(parseBody(mutateLessonBodySchema, body)), actorOf(request)));
    return written(response, state, true);
  }
}

function written(response: HeaderResponse, state: LessonState, created: boolean) {
  response.header('ETag', etagOf(state.revision));
  if (created) response.header('Location', `/lessons/${encodeURIComponent(state.lessonId)}`);
  return toLessonView(state);
}
