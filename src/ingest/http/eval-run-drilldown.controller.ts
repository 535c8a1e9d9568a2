import { applyDecorators, Controller, Get, NotFoundException, Param, Query, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequiresScope } from '../../auth/requires-scope.decorator.js';
import { listLimit, listOffset, MAX_LIST_LIMIT } from '../../common/list-params.js';
import { IngestHttpErrorsFilter } from './http-errors.filter.js';
import { GetEvalRunQuery } from './queries/get-eval-run.query.js';
import type { EvalRunDetailView } from './queries/eval-run-views.js';
import { parseQueryParams } from './queries/list-query-params.js';
import { DIFF_CHANGES, diffRuns, listRunOutcomes, totalsByModel } from './queries/run-outcomes.js';

const DEFAULT_LIMIT = 100;
const filterShape = {
  model: z.string().min(1).optional(),
  format: z.string().min(1).optional(),
  test: z.string().min(1).optional(),
  limit: listLimit.default(DEFAULT_LIMIT),
  offset: listOffset.default(0),
};
const outcomesParams = z.strictObject({ ...filterShape, result: z.enum(['pass', 'fail', 'infra']).optional() });
const diffParams = z.strictObject({ ...filterShape, change: z.enum(DIFF_CHANGES).optional() });

const filterQueries = () => applyDecorators(
  ApiQuery({ name: 'model', required: false, description: 'model name (without format) or the raw model string' }),
  ApiQuery({ name: 'format', required: false, description: 'tool format, `default` for none' }),
  ApiQuery({ name: 'test', required: false }),
  ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST_LIMIT}, default ${DEFAULT_LIMIT}` }),
  ApiQuery({ name: 'offset', required: false, description: 'default 0' }),
);

/** The drill-downs behind the dashboard's run page and run diff: a run's outcomes, two runs side by side; paged. */
@ApiTags('eval-runs')
@Controller('eval-runs')
@UseFilters(IngestHttpErrorsFilter)
export class EvalRunDrilldownController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':runId/outcomes')
  @RequiresScope('read')
  @ApiOperation({
    summary: "A run's outcomes by model and test, each pass, fail or infra (suspected infra error), with per-model totals",
    description: 'Filtered and paged on the server; `counts` by result over every match, `byModel` over the whole run (tokens, cost, duration summed).',
  })
  @filterQueries()
  @ApiQuery({ name: 'result', required: false, enum: ['pass', 'fail', 'infra'] })
  @ApiOkResponse({ description: '{ run, byModel, counts, items (outcomes with result), total, offset, limit }' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  @ApiNotFoundResponse({ description: 'No such run (or not projected yet)' })
  async outcomes(@Param('runId') runId: string, @Query() query: Record<string, unknown>) {
    const params = parseQueryParams(outcomesParams, query);
    const { outcomes, ...run } = await this.run(runId);
    return { run, byModel: totalsByModel(outcomes), ...listRunOutcomes(outcomes, params) };
  }

  @Get(':a/diff/:b')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Two runs side by side: outcomes paired by model, format, test and occurrence; new failures and new passes first',
    description: '`change`: new-failure (pass in a, fail in b), new-pass, new-infra (an infra error in b only), only-a, only-b, unchanged. `counts` by change over every match.',
  })
  @filterQueries()
  @ApiQuery({ name: 'change', required: false, enum: DIFF_CHANGES })
  @ApiOkResponse({ description: '{ a, b (run summaries), counts, items [{model, rawModel, format, test, occurrence, change, a, b}], total, offset, limit }' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  @ApiNotFoundResponse({ description: 'Either run is not recorded' })
  async diff(@Param('a') a: string, @Param('b') b: string, @Query() query: Record<string, unknown>) {
    const params = parseQueryParams(diffParams, query);
    const [runA, runB] = [await this.run(a), await this.run(b)];
    const { outcomes: outcomesA, ...summaryA } = runA;
    const { outcomes: outcomesB, ...summaryB } = runB;
    return { a: summaryA, b: summaryB, ...diffRuns(outcomesA, outcomesB, params) };
  }

  private async run(runId: string): Promise<EvalRunDetailView> {
    const run = await this.queries.execute(new GetEvalRunQuery(runId));
    if (!run) throw new NotFoundException(`Eval run ${runId} is not recorded`);
    return run;
  }
}
