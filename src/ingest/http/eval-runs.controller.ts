import { Body, Controller, Get, HttpStatus, NotFoundException, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { RequiresScope } from '../../auth/requires-scope.decorator.js';
import { actorOf, type AuthedRequest } from '../../auth/request-actor.js';
import { CURRENT_EVAL_RESULTS_HEADER } from '../gptme/headers.js';
import { EffectsService } from '../../effects/effects.service.js';
import { RecordEvalRunCommand } from './commands/record-eval-run.command.js';
import { exposureProblemRow, exposureShapeProblems, runExposures } from './intake/run-exposure.js';
import { RunRejectedError } from './intake/run-problem.js';
import { runAppendFrom, type EvalRunSubmission } from './intake/run-submission.js';
import { EvalRunBodyDto } from './dto/eval-run-body.dto.js';
import { EvalRunDetailDto, EvalRunPageDto } from './dto/eval-run-view.dto.js';
import { RecordEvalRunResultDto, RunConflictDto } from './dto/record-eval-run-result.dto.js';
import { RunRejectedDto } from './dto/validation-problem.dto.js';
import { IngestHttpErrorsFilter } from './http-errors.filter.js';
import { GetEvalRunQuery } from './queries/get-eval-run.query.js';
import { ListEvalRunsQuery, listEvalRunsParamsSchema } from './queries/list-eval-runs.query.js';
import { parseQueryParams, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './queries/list-query-params.js';
import type { RecordRunResult } from './record/record-eval-run.js';
import { runsIngested } from '../../common/metrics/app-metrics.js';
import { readCsvBody, type RawRequest } from './read-text-body.js';

interface StatusResponse {
  status(code: number): unknown;
}

const WRITE_NOTES =
  'The whole run is validated first: any problem answers 400 with every problem as {row, field, reason} and ' +
  'nothing is written. Sending the same run again is a no-op answering 200 with what is stored (never 409). ' +
  'A run with different content under a runId already recorded answers 409 with the differences: runs are ' +
  'immutable facts; send a corrected run under a new runId.';

@ApiTags('eval-runs')
@Controller('eval-runs')
@UseFilters(IngestHttpErrorsFilter)
export class EvalRunsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly effects: EffectsService,
  ) {}

  @Post()
  @RequiresScope('write')
  @ApiOperation({ summary: 'Record an eval run sent as JSON', description: WRITE_NOTES })
  @ApiBody({ type: EvalRunBodyDto })
  @ApiCreatedResponse({ type: RecordEvalRunResultDto, description: 'Recorded' })
  @ApiOkResponse({ type: RecordEvalRunResultDto, description: 'Already recorded with the same content: nothing written' })
  @ApiBadRequestResponse({ type: RunRejectedDto, description: 'Invalid run; row = 0-based index into outcomes' })
  @ApiConflictResponse({ type: RunConflictDto })
  async recordJson(@Body() body: unknown, @Req() request: AuthedRequest, @Res({ passthrough: true }) response: StatusResponse) {
    return this.record({ format: 'json', body }, request, response);
  }

  @Post('csv')
  @RequiresScope('write')
  @ApiOperation({
    summary: "Record an eval run sent as gptme's eval_results.csv",
    description:
      `Body: the file itself (Content-Type: text/csv), any of the 7 headers gptme has written. The run's facts the ` +
      `file does not hold come as query parameters. ${WRITE_NOTES}`,
  })
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: { type: 'string', example: `${CURRENT_EVAL_RESULTS_HEADER.join(',')}\n...` },
    description: 'eval_results.csv (UTF-8)',
  })
  @ApiQuery({ name: 'runId', required: true, description: 'The run id, e.g. the gptme run folder name', example: '20260822_025022Z' })
  @ApiQuery({
    name: 'startedAt',
    required: false,
    description: 'ISO-8601 instant; optional when runId is a YYYYMMDD_HHMMSSZ folder name (read as UTC)',
  })
  @ApiQuery({ name: 'suite', required: false })
  @ApiQuery({ name: 'source', required: false, description: 'Default gptme-csv:<runId>, as `lessonloop import results` records it' })
  @ApiCreatedResponse({ type: RecordEvalRunResultDto, description: 'Recorded' })
  @ApiOkResponse({ type: RecordEvalRunResultDto, description: 'Already recorded with the same content: nothing written' })
  @ApiBadRequestResponse({ type: RunRejectedDto, description: 'Invalid file or parameters; row = 1-based line in the file' })
  @ApiConflictResponse({ type: RunConflictDto })
  @ApiUnsupportedMediaTypeResponse({ description: 'The body is not sent as text/csv (or text/plain)' })
  async recordCsv(
    @Query('runId') runId: string | undefined,
    @Query('startedAt') startedAt: string | undefined,
    @Query('suite') suite: string | undefined,
    @Query('source') source: string | undefined,
    @Req() request: RawRequest & AuthedRequest,
    @Res({ passthrough: true }) response: StatusResponse,
  ) {
    const text = await readCsvBody(request);
    const params = Object.fromEntries(
      Object.entries({ runId, startedAt, suite, source }).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    return this.record({ format: 'csv', text, params }, request, response);
  }

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'List eval runs, newest first', description: 'Keyset paging: pass nextCursor back as cursor.' })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}` })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'model', required: false, description: 'Runs with an outcome of this model (name without format, or the raw model string)' })
  @ApiQuery({ name: 'from', required: false, description: 'startedAt >= from (ISO-8601)' })
  @ApiQuery({ name: 'to', required: false, description: 'startedAt < to (ISO-8601)' })
  @ApiOkResponse({ type: EvalRunPageDto })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  list(@Query() query: Record<string, unknown>) {
    return this.queries.execute(new ListEvalRunsQuery(parseQueryParams(listEvalRunsParamsSchema, query)));
  }

  @Get(':runId')
  @RequiresScope('read')
  @ApiOperation({ summary: 'One eval run with its outcomes (in submission order)' })
  @ApiOkResponse({ type: EvalRunDetailDto })
  @ApiNotFoundResponse({ description: 'No such run (or not projected yet)' })
  async get(@Param('runId') runId: string) {
    const run = await this.queries.execute(new GetEvalRunQuery(runId));
    if (!run) throw new NotFoundException(`Eval run ${runId} is not recorded`);
    return run;
  }

  /** record(), counted in lessonloop_ingest_runs_total by source and result. */
  private async record(submission: EvalRunSubmission, request: AuthedRequest, response: StatusResponse) {
    const source = `http-${submission.format}`;
    try {
      const body = await this.recordRun(submission, request, response);
      runsIngested.inc({ source, result: body.status });
      return body;
    } catch (error) {
      runsIngested.inc({ source, result: 'rejected' });
      throw error;
    }
  }

  private async recordRun(submission: EvalRunSubmission, request: AuthedRequest, response: StatusResponse) {
    const actor = actorOf(request);
    const { runId, append } = runAppendFrom(submission, actor);
    // Exposure sent with the run: every lesson id is checked before the run is written (nothing half-written).
    const exposures = submission.format === 'json' ? runExposures(submission.body, append) : null;
    if (exposures) {
      const outcomeIds = append.events.filter((e) => e.type === 'TestOutcomeRecorded').map((e) => e.eventId);
      const unknown = await this.effects.unknownLessonIds(exposures);
      const problems = [...exposureShapeProblems(exposures, append), ...unknown.map((p) => ({ ...exposureProblemRow(exposures, p.field, outcomeIds), reason: p.reason }))];
      if (problems.length > 0) throw new RunRejectedError(problems);
    }
    const result = await this.commands.execute(new RecordEvalRunCommand(runId, append));
    // Recorded after the run (its outcomes are what the exposure references); a retry of the same POST records
    // the rest: the run is already recorded, and exposures already recorded append nothing.
    const recorded = exposures ? await this.effects.record(exposures, actor, runId) : null;
    response.status(result.status === 'recorded' || recorded?.some((e) => e.appended) ? HttpStatus.CREATED : HttpStatus.OK);
    const body = toResultBody(result);
    if (!recorded) return body;
    return {
      ...body,
      exposure: {
        recorded: recorded.filter((e) => e.appended).length,
        alreadyRecorded: recorded.filter((e) => !e.appended).length,
        unresolvedPaths: [...new Set(recorded.flatMap((e) => e.unresolvedPaths))].sort(),
      },
    };
  }
}

function toResultBody(result: RecordRunResult): RecordEvalRunResultDto {
  const { run } = result;
  return {
    status: result.status,
    runId: run.runId,
    streamId: result.streamId,
    startedAt: run.startedAt,
    source: run.source,
    ...(run.suite !== undefined ? { suite: run.suite } : {}),
    counts: run.counts,
    models: run.models ?? [],
    events: result.events,
  };
}
