import { Controller, Get, Param, Query, UseFilters, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { IngestHttpErrorsFilter } from '../ingest/http/http-errors.filter.js';
import { parseQueryParams } from '../ingest/http/queries/list-query-params.js';
import { MAX_LIST_LIMIT } from '../common/list-params.js';
import { EvalReadModelsErrorsFilter } from './eval-read-models-errors.filter.js';
import { SerializedJsonInterceptor } from './serialized-json.interceptor.js';
import {
  GPTME_LEADERBOARD_SORT_KEYS,
  GPTME_TREND_CATEGORIES,
  GPTME_TRENDS_SORT_KEYS,
  historyParamsSchema,
  LEADERBOARD_SORT_KEYS,
  leaderboardParamsSchema,
  pooledTrendsParamsSchema,
  STAT_TRENDS_SORT_KEYS,
  trendsParamsSchema,
} from './queries/eval-query-params.js';
import { ciGateParamsSchema } from './queries/ci-gate-params.js';
import { GetCiGateQuery } from './queries/get-ci-gate.query.js';
import { GetLeaderboardQuery } from './queries/get-leaderboard.query.js';
import { GetPooledTrendsQuery } from './queries/get-pooled-trends.query.js';
import { GetTestHistoryQuery } from './queries/get-test-history.query.js';
import { GetTrendsQuery } from './queries/get-trends.query.js';

const NOT_READY = 'The read model has not been built yet';
const ORDER = 'asc (default) or desc; missing values (null) always last';
const DEFAULT_ONLY = 'mode=default only (400 with mode=gptme): ';
const keys = (list: readonly string[]) => list.map((k) => `\`${k}\``).join(', ');

@ApiTags('eval-read-models')
@Controller()
@UseFilters(IngestHttpErrorsFilter, EvalReadModelsErrorsFilter)
@UseInterceptors(SerializedJsonInterceptor)
export class EvalReadModelsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('leaderboard')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Model leaderboard',
    description:
      "mode=gptme: gptme's leaderboard exactly (raw Model/Tool Format grouping split on any last @, latest row per test, " +
      '>= minTests (4) tests, Wilson lower bound z=1, best format per model; rows: model, format, total_passed, ' +
      'total_tests, pass_rate, ranking_score). mode=default: per (model, tool format[, suite]) over the latest run of ' +
      'each test, suspected infra errors excluded and counted apart, Wilson interval (z, default 1.96), pass@k, cost ' +
      'and tokens per pass; over a time window (from/to) or as of a date (asOf), from event time.',
  })
  @ApiQuery({ name: 'mode', required: false, enum: ['default', 'gptme'] })
  @ApiQuery({ name: 'model', required: false, description: 'default: exact model; gptme: case-insensitive substring' })
  @ApiQuery({ name: 'format', required: false, description: 'tool format, or `default` for none' })
  @ApiQuery({ name: 'suite', required: false, description: `${DEFAULT_ONLY}outcomes recorded under this suite` })
  @ApiQuery({ name: 'bySuite', required: false, description: `${DEFAULT_ONLY}one row per suite` })
  @ApiQuery({ name: 'k', required: false, description: `${DEFAULT_ONLY}pass@k (default 1)` })
  @ApiQuery({ name: 'z', required: false, description: `${DEFAULT_ONLY}Wilson z (default 1.96)` })
  @ApiQuery({ name: 'minTests', required: false, description: 'rows with fewer tests left out (gptme mode: default 4)' })
  @ApiQuery({ name: 'asOf', required: false, description: `${DEFAULT_ONLY}ISO-8601: state from outcomes before this instant (400 together with to)` })
  @ApiQuery({ name: 'from', required: false, description: `${DEFAULT_ONLY}ISO-8601, inclusive (event time)` })
  @ApiQuery({ name: 'to', required: false, description: `${DEFAULT_ONLY}ISO-8601, exclusive (event time); 400 together with asOf` })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST_LIMIT} (default 50; gptme mode: all)` })
  @ApiQuery({ name: 'offset', required: false, description: 'rows skipped (default 0); past the end: an empty page with the total' })
  @ApiQuery({
    name: 'sort',
    required: false,
    description:
      `a row field to sort the whole list by before paging (default: the ranking). default mode: ${keys(LEADERBOARD_SORT_KEYS)}; ` +
      `gptme mode: ${keys(GPTME_LEADERBOARD_SORT_KEYS)}. Others: 400`,
  })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'], description: ORDER })
  @ApiOkResponse({ description: '{mode, items, total, offset, limit}' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  @ApiServiceUnavailableResponse({ description: NOT_READY })
  leaderboard(@Query() query: Record<string, unknown>) {
    return this.queries.execute(new GetLeaderboardQuery(parseQueryParams(leaderboardParamsSchema, query)));
  }

  @Get('trends')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Regressions, improvements, flaky and stable tests',
    description:
      "rules=gptme: gptme's trends exactly, an object {regressions, improvements, stable_pass, stable_fail, flaky} of " +
      '{model (model@format), test, latest_passed, previous_passed, latest_run, previous_run, pass_rate, total_runs}; ' +
      'with last, regressions, improvements, diff as gptme. rules=statistical (default): per (model, format, test) over ' +
      'the last `window` runs, regression/improvement by a one-sided Fisher exact test at alpha, flaky by flip rate and ' +
      'entropy, infra errors excluded; parameters from the rule set `ruleSet` (RuleSetDefined) or the defaults.',
  })
  @ApiQuery({ name: 'rules', required: false, enum: ['statistical', 'gptme'] })
  @ApiQuery({
    name: 'ruleSet',
    required: false,
    description:
      'statistical only: a rule set (RuleSetDefined; `default`: the default rules). One that changes the trend rules is answered ' +
      'by its own trends instance, one that does not by the default instance (`instanceRuleSet` in the answer says which)',
  })
  @ApiQuery({ name: 'model', required: false, description: 'case-insensitive substring (gptme: of model@format)' })
  @ApiQuery({ name: 'format', required: false, description: 'tool format, `default` for none (gptme: the part of model@format after the last @)' })
  @ApiQuery({ name: 'suite', required: false, description: 'series with at least one outcome recorded under this suite' })
  @ApiQuery({ name: 'test', required: false, description: 'statistical only: exact test name' })
  @ApiQuery({ name: 'label', required: false, enum: ['regression', 'improvement', 'flaky', 'stable_pass', 'stable_fail', 'insufficient'], description: 'statistical only' })
  @ApiQuery({ name: 'category', required: false, enum: GPTME_TREND_CATEGORIES, description: 'gptme only: that list as a page {rules, category, totals, items, total, offset, limit}' })
  @ApiQuery({ name: 'last', required: false, description: 'gptme only: only the last N runs per model/test' })
  @ApiQuery({ name: 'diff', required: false, description: 'gptme only: per model, its last two runs compared (an object by model, not paged); takes only model (format, suite, from, to, last, regressions, improvements, category, sort, limit, offset: 400)' })
  @ApiQuery({ name: 'regressions', required: false, description: "gptme only: as gptme's --regressions (improvements and flaky emptied)" })
  @ApiQuery({ name: 'improvements', required: false, description: "gptme only: as gptme's --improvements (regressions and flaky emptied)" })
  @ApiQuery({ name: 'from', required: false, description: "series whose latest outcome's event time is at or after (ISO-8601)" })
  @ApiQuery({ name: 'to', required: false, description: "series whose latest outcome's event time is before (ISO-8601)" })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST_LIMIT} (statistical and gptme category: default 50; gptme lists: all)` })
  @ApiQuery({ name: 'offset', required: false, description: 'entries skipped (default 0); past the end: empty lists with the totals' })
  @ApiQuery({
    name: 'sort',
    required: false,
    description:
      `sort the whole list(s) before paging (default: model, format, test). statistical: ${keys(STAT_TRENDS_SORT_KEYS)}; ` +
      `gptme: ${keys(GPTME_TRENDS_SORT_KEYS)}. Others: 400`,
  })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'], description: ORDER })
  @ApiOkResponse({
    description:
      'gptme without limit/offset/sort/category: the five lists whole (gptme\'s shape); with limit/offset/sort: each list paged ' +
      'plus totals {list: length}, offset, limit; with category: one page. statistical: {rules, ruleSet (asked; null: defaults), ' +
      'instanceRuleSet (whose instance answered; null: the default instance), parameters, counts, items, total, offset, limit}',
  })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  @ApiNotFoundResponse({ description: 'ruleSet names no RuleSetDefined' })
  @ApiServiceUnavailableResponse({ description: `${NOT_READY}; a rule set's own trends instance not built: the message names the rebuild command` })
  trends(@Query() query: Record<string, unknown>) {
    return this.queries.execute(new GetTrendsQuery(parseQueryParams(trendsParamsSchema, query)));
  }

  @Get('trends/pooled')
  @RequiresScope('read')
  @ApiOperation({
    summary: "Pooled regression tests: a model's drop across its tests, a test's drop across models",
    description:
      'One-sided stratified Mantel–Haenszel test of recent runs against the baseline (the statistical trends\' window), ' +
      'strata: the model\'s series (model pools) or the test\'s series (test pools); each pool with p_regression, ' +
      'q_regression (BH/BY by the rule set\'s fdrMethod/fdrLevel; model pools by their newest run under fdrFamily=run, ' +
      'test pools together), regression, and mde_regression (smallest drop on every pooled series flagged with power ' +
      'mdePower at the level the flag must meet). The whole instance, not paged.',
  })
  @ApiQuery({ name: 'ruleSet', required: false, description: 'a rule set (RuleSetDefined); `default`: the default rules' })
  @ApiQuery({ name: 'pool', required: false, enum: ['model', 'test'], description: 'only one kind of pool' })
  @ApiOkResponse({ description: '{rules, ruleSet, instanceRuleSet, parameters, models, tests}' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  @ApiNotFoundResponse({ description: 'ruleSet names no RuleSetDefined' })
  @ApiServiceUnavailableResponse({ description: NOT_READY })
  pooledTrends(@Query() query: Record<string, unknown>) {
    return this.queries.execute(new GetPooledTrendsQuery(parseQueryParams(pooledTrendsParamsSchema, query)));
  }

  @Get('models/:model/tests/:test/history')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Every outcome of a test for a model, newest first',
    description: 'Each with its run, event time, and the change (regression / improvement) against the previous outcome. ' +
      'Encode a model containing "/" as %2F.',
  })
  @ApiParam({ name: 'model', description: 'model name (without format) or the raw model string' })
  @ApiParam({ name: 'test' })
  @ApiQuery({ name: 'format', required: false, description: 'tool format, `default` for none' })
  @ApiQuery({ name: 'suite', required: false, description: 'only outcomes recorded under this suite (changes are then within it)' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO-8601, inclusive (event time)' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601, exclusive (event time)' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIST_LIMIT} (default 100)` })
  @ApiOkResponse({ description: '{model, test, total, items, nextCursor}' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}' })
  @ApiServiceUnavailableResponse({ description: NOT_READY })
  history(@Param('model') model: string, @Param('test') test: string, @Query() query: Record<string, unknown>) {
    return this.queries.execute(new GetTestHistoryQuery(model, test, parseQueryParams(historyParamsSchema, query)));
  }

  @Get('eval-runs/:runId/ci-gate')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'CI gate: does this run regress beyond chance?',
    description:
      "Each (model, format, test) series of the run: the run's attempts (suspected infra errors left out and counted) against " +
      'its baseline runs in the trends read model (the `last` runs before it, default all the window keeps, or one `baseline` ' +
      "run), one-sided Fisher exact p of a drop; each model of the run pooled over its tests (Mantel–Haenszel). The run's " +
      'series and model pools are one family, corrected with BH (or BY, or none) at `fdr`; a hypothesis fails when q <= fdr ' +
      'and its drop >= minDrop. verdict: pass, fail or no-data; failures (smallest q first), every hypothesis with p, q and ' +
      'mde, untested series (no-baseline, infra-only, flaky-excluded). Same decision as `lessonloop ci-gate`.',
  })
  @ApiParam({ name: 'runId' })
  @ApiQuery({ name: 'baseline', required: false, description: 'one run id to compare with (not with last)' })
  @ApiQuery({ name: 'last', required: false, description: 'the last N runs before the candidate (default and maximum: the trends window - 1)' })
  @ApiQuery({ name: 'fdr', required: false, description: 'false-discovery level q in (0, 1), default 0.05' })
  @ApiQuery({ name: 'method', required: false, enum: ['bh', 'by', 'none'], description: 'default bh; none: p <= fdr' })
  @ApiQuery({ name: 'minDrop', required: false, description: 'smallest pass-rate drop (0..1) that fails the gate, default 0' })
  @ApiQuery({ name: 'flaky', required: false, enum: ['test', 'exclude'], description: 'flaky series tested (default) or listed apart' })
  @ApiQuery({ name: 'ruleSet', required: false, description: "defaults from this rule set's ci-gate rules; baselines and flaky thresholds from its trends instance" })
  @ApiOkResponse({ description: '{run, verdict, rules, family, counts, failures, hypotheses, untested}' })
  @ApiBadRequestResponse({ description: 'Invalid query parameters, listed as {field, reason}; last above the window' })
  @ApiNotFoundResponse({ description: 'no eval run with this id; ruleSet names no RuleSetDefined' })
  @ApiServiceUnavailableResponse({ description: NOT_READY })
  ciGate(@Param('runId') runId: string, @Query() query: Record<string, unknown>) {
    return this.queries.execute(new GetCiGateQuery(runId, parseQueryParams(ciGateParamsSchema, query)));
  }
}
