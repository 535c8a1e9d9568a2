import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Req, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ZodError } from 'zod';
import { actorOf, type AuthedRequest } from '../auth/request-actor.js';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { NoCurrentInstanceError } from '../projection-engine/instances/current-instance.js';
import { ProjectionEngine } from '../projection-engine/projection-engine.js';
import { UnknownRuleSetError } from '../projection-engine/instances/rule-sets.js';
import { startRuleSetBuild } from '../rule-set-analyses/build-rule-set.js';
import { InvalidRuleSetError, RuleSetExistsError } from '../rule-sets/rule-set-decider.js';
import { ruleSetInputFromBody } from './rule-set-body.schema.js';
import { IngestHttpErrorsFilter } from '../ingest/http/http-errors.filter.js';
import { parseQueryParams } from '../ingest/http/queries/list-query-params.js';
import {
  compareParamsSchema,
  DEFAULT_EXPERIMENTS_LIMIT,
  DIFFERENCE_SORT_KEYS,
  EXPERIMENT_SORT_KEYS,
  EXPERIMENT_STATUSES,
  listExperimentsParamsSchema,
} from './experiment-query-params.js';
import { MAX_LIST_LIMIT } from '../common/list-params.js';
import { RuleSetCompareService } from '../rule-set-analyses/rule-set-compare.service.js';
import { DefineRuleSetCommand } from './commands/define-rule-set.command.js';
import { ExperimentsService } from './experiments.service.js';

async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UnknownRuleSetError) throw new NotFoundException(error.message);
    if (error instanceof NoCurrentInstanceError) throw new NotFoundException(error.message);
    if (error instanceof RuleSetExistsError) throw new ConflictException(error.message);
    if (error instanceof InvalidRuleSetError && error.problems.length > 0) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: error.message, problems: error.problems });
    }
    if (error instanceof InvalidRuleSetError || error instanceof ZodError) throw new BadRequestException(error.message);
    throw error;
  }
}

@ApiTags('experiments')
@UseFilters(IngestHttpErrorsFilter)
@Controller()
export class ExperimentsController {
  constructor(
    private readonly experiments: ExperimentsService,
    private readonly comparisons: RuleSetCompareService,
    private readonly engine: ProjectionEngine,
    private readonly commands: CommandBus,
  ) {}

  @Get('experiments')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Lesson changes as experiments under a rule set: isolated, confounded (with each confounder) or insufficient data',
    description:
      'Confounded whenever any confounding change is within the window (each listed). `models` holds each model\'s status ' +
      'and confounders: a change about one model (model-api, model-version, a harness commit on its runs) touches that ' +
      'model only, a change about no model (lesson changes, harness) every model. Estimates stand on the clean models ' +
      '(`cleanModels`), also on a confounded change as partial evidence: before/after pass rates on affected and control ' +
      'tests per clean model (`perModel`) and summed over them (`overall`), DiD, Fisher p and P(after > before). ' +
      'Filtered, sorted and paged on the server; `counts` are by status over every match.',
  })
  @ApiQuery({ name: 'ruleSet', required: false, description: 'rule set id; the default rules when absent' })
  @ApiQuery({ name: 'lesson', required: false, description: 'lesson id' })
  @ApiQuery({ name: 'status', required: false, enum: EXPERIMENT_STATUSES })
  @ApiQuery({ name: 'model', required: false, description: 'experiments with an estimate for this model or a confounder about it; per-model detail narrowed to it' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO-8601, lesson changes at or after (event time)' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601, lesson changes before (event time)' })
  @ApiQuery({ name: 'sort', required: false, enum: EXPERIMENT_SORT_KEYS, description: 'default at; effect and p sort experiments without an estimate last' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST_LIMIT} (default ${DEFAULT_EXPERIMENTS_LIMIT})` })
  @ApiQuery({ name: 'offset', required: false, description: 'default 0' })
  @ApiOkResponse({ description: '{ ruleSetId, rules, asOf, counts, items, total, offset, limit }' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  @ApiNotFoundResponse({ description: 'Unknown rule set' })
  list(@Query() query: Record<string, unknown>) {
    const params = parseQueryParams(listExperimentsParamsSchema, query);
    return mapped(() => this.experiments.experiments(params));
  }

  @Get('experiments/:changeId')
  @RequiresScope('read')
  @ApiOperation({ summary: 'One lesson change as an experiment under a rule set' })
  @ApiQuery({ name: 'ruleSet', required: false })
  @ApiNotFoundResponse({ description: 'Unknown change or rule set' })
  one(@Param('changeId') changeId: string, @Query('ruleSet') ruleSet?: string) {
    return mapped(async () => {
      const found = await this.experiments.experiment(ruleSet, changeId);
      if (!found) throw new NotFoundException(`No lesson change ${changeId}`);
      return found;
    });
  }

  @Get('experiments/:changeId/series')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'One experiment hour by hour across its before and after windows: affected and control outcomes, per model and summed',
    description:
      'Hours with outcomes from the start of the before window to the end of the after window (offset 0 is the change\'s own hour, ' +
      'in neither window); `before`/`after` the window bounds; each confounder with its `span`, the confound window around it.',
  })
  @ApiQuery({ name: 'ruleSet', required: false })
  @ApiOkResponse({ description: '{ ruleSetId, changeId, lessonId, lessonTitle, at, status, windowHours, before, after, confounders[{..., span}], overall, all[{hour, offset, affected, control}], models[{model, status, confounders, estimate, points}] }' })
  @ApiNotFoundResponse({ description: 'Unknown change or rule set' })
  series(@Param('changeId') changeId: string, @Query('ruleSet') ruleSet?: string) {
    return mapped(async () => {
      const found = await this.experiments.series(ruleSet, changeId);
      if (!found) throw new NotFoundException(`No lesson change ${changeId}`);
      return found;
    });
  }

  @Get('analyses/compare')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'What rule sets a and b conclude differently: experiments, lifecycle decisions, trend labels',
    description:
      '`items`: lesson changes whose status, effect sign or significance differs, or with a model entering or leaving ' +
      'confounded, each with the reason (the confounder that entered or left the window); filtered, sorted and paged on the ' +
      'server, `summary` counts all of them. `lifecycle.differences`: lessons the lifecycle policy, folded over the log under ' +
      'each rule set (recorded policy decisions left out), would archive, promote, expand the keywords of or flag for ' +
      'mutation under one and not the other, or on ' +
      'another reward. `trends`: statistical trend labels that differ, read from each rule set\'s `trends` instance (the ' +
      'default instance when the rule set does not change the trend rules); when one is not built, `built: false` and ' +
      '`notBuilt` with the command that builds it.',
  })
  @ApiQuery({ name: 'a', required: true, description: 'rule set id (`default` for the default rules)' })
  @ApiQuery({ name: 'b', required: true, description: 'rule set id (`default` for the default rules)' })
  @ApiQuery({ name: 'lesson', required: false, description: 'lesson id' })
  @ApiQuery({ name: 'status', required: false, enum: EXPERIMENT_STATUSES, description: 'differences with this status under a or under b' })
  @ApiQuery({ name: 'model', required: false, description: "differences where this model's status differs or a confounder about it entered or left; `models` narrowed to it" })
  @ApiQuery({ name: 'from', required: false, description: 'ISO-8601, lesson changes at or after (event time)' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601, lesson changes before (event time)' })
  @ApiQuery({ name: 'sort', required: false, enum: DIFFERENCE_SORT_KEYS, description: 'default at; status sorts by "statusA>statusB", effect by b\'s effect, effectChange by b minus a' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST_LIMIT} (default ${DEFAULT_EXPERIMENTS_LIMIT})` })
  @ApiQuery({ name: 'offset', required: false, description: 'default 0' })
  @ApiOkResponse({ description: '{ a, b, rulesA, rulesB, summary, items, total, offset, limit, lifecycle: { rulesA, rulesB, differences }, trends: { built, ... } }' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  @ApiNotFoundResponse({ description: 'Unknown rule set' })
  compare(@Query() query: Record<string, unknown>) {
    const params = parseQueryParams(compareParamsSchema, query);
    return mapped(() => this.comparisons.compareListing(params));
  }

  @Post('rule-sets')
  @HttpCode(201)
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Define a rule set (immutable) and build its rule-dependent projections beside the existing ones',
    description:
      'Body: { ruleSetId?, name, parameters, basedOn?, description? }. Appends RuleSetDefined to rule-set-<id>; the ' +
      'instances under it are rebuilt from the start by the running projection engine (progress in GET /projections). ' +
      'Experiments under it: GET /experiments?ruleSet=<id>.',
  })
  @ApiCreatedResponse({ description: '{ ruleSet, instances }' })
  @ApiBadRequestResponse({
    description:
      'Invalid id, or parameters refused by a rule family (experiments, trends, lifecycle policy, outcome counts) or ' +
      'named by none (a misspelt name: the reason lists the known names and the closest one), listed as ' +
      '{field, reason} with field the parameter (`recent`, `trends.recent` from the family block); nothing is appended',
  })
  @ApiConflictResponse({ description: 'The id is already defined' })
  define(@Body() body: unknown, @Req() request: AuthedRequest) {
    return mapped(async () => {
      const input = ruleSetInputFromBody(body);
      const ruleSet = await this.commands.execute(new DefineRuleSetCommand(input, actorOf(request)));
      const build = await startRuleSetBuild(this.engine, ruleSet.ruleSetId, ruleSet.parameters);
      return { ruleSet, instances: build.instances, progress: '/projections' };
    });
  }
}
