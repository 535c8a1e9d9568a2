import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOOL_FORMATS } from '../../../../contracts/eval.js';

/**
 * OpenAPI description of `POST /eval-runs`. The fields of an outcome are the columns of gptme's current
 * `eval_results.csv` header in camelCase, with JSON types; validation is `eval-run-body.schema.ts`.
 */
export class EvalCaseBodyDto {
  @ApiProperty({ description: 'Checker name (cases.csv `Case`)', example: 'correct output' })
  name!: string;
  @ApiProperty()
  passed!: boolean;
  @ApiProperty({ description: 'Seconds', minimum: 0 })
  durationS!: number;
}

export class OutcomeLessonsBodyDto {
  @ApiPropertyOptional({ description: 'Lessons injected: [{ lessonId | path, revision?, propensity?, holdoutRate? }] (revision: the server fills the one in force)' })
  injected?: object[];
  @ApiPropertyOptional({ description: 'Lessons withheld: [{ lessonId | path, withheldBy: coin|cap|run-holdout|unknown, revision?, propensity?, holdoutRate? }]' })
  withheld?: object[];
  @ApiPropertyOptional({ description: "The outcome's task category (a stratum key; else the run's suite)" })
  category?: string;
}

export class EvalOutcomeBodyDto {
  @ApiProperty({
    description: 'CSV `Model`: the model string as the harness wrote it; a `@markdown|@xml|@tool` suffix is read as the tool format',
    example: 'anthropic/claude-haiku-4-5',
  })
  model!: string;
  @ApiPropertyOptional({ enum: TOOL_FORMATS, nullable: true, description: 'CSV `Tool Format`; wins over a `@format` suffix' })
  toolFormat?: (typeof TOOL_FORMATS)[number] | null;
  @ApiProperty({ description: 'CSV `Test`', example: 'hello-patch' })
  test!: string;
  @ApiProperty({ description: 'CSV `Passed`' })
  passed!: boolean;
  @ApiPropertyOptional({ description: 'CSV `Score`: checkers passed `k/n`', example: '3/4', pattern: '^\\d+/\\d+$' })
  score?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'CSV `Tool Calls`' })
  toolCalls?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'CSV `Num Steps`' })
  numSteps?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'CSV `Tokens Input` (the five token fields come together)' })
  tokensInput?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'CSV `Tokens Output`' })
  tokensOutput?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'CSV `Tokens Total`' })
  tokensTotal?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'CSV `Cache Read Tokens`' })
  cacheReadTokens?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'CSV `Cache Creation Tokens`' })
  cacheCreationTokens?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'CSV `Cache Hit Rate`' })
  cacheHitRate?: number;
  @ApiPropertyOptional({ minimum: 0, description: 'CSV `Cost USD`; omit when unknown' })
  costUsd?: number;
  @ApiPropertyOptional({ minimum: 0, description: 'CSV `Total Duration`, seconds (the four durations come together)' })
  totalDuration?: number;
  @ApiPropertyOptional({ minimum: 0, description: 'CSV `Generation Time`, seconds' })
  generationTime?: number;
  @ApiPropertyOptional({ minimum: 0, description: 'CSV `Run Time`, seconds' })
  runTime?: number;
  @ApiPropertyOptional({ minimum: 0, description: 'CSV `Eval Time`, seconds' })
  evalTime?: number;
  @ApiPropertyOptional({ description: 'CSV `Commit Hash`: the harness version', example: 'v0.33.0' })
  commitHash?: string;
  @ApiPropertyOptional({ description: 'CSV `Log Dir`' })
  logDir?: string;
  @ApiPropertyOptional({ description: 'CSV `Workspace Dir`' })
  workspaceDir?: string;
  @ApiPropertyOptional({ type: [EvalCaseBodyDto], description: "Per-checker results (gptme's cases.csv)" })
  cases?: EvalCaseBodyDto[];
  @ApiPropertyOptional({
    type: OutcomeLessonsBodyDto,
    description: 'Exposure: recorded as LessonExposureRecorded (as POST /exposures with source `api`), not part of the run; an unknown lesson id refuses the whole run',
  })
  lessons?: OutcomeLessonsBodyDto;
}

export class EvalRunBodyDto {
  @ApiProperty({
    description: 'Identifies the run; gptme uses its folder name. 1-128 of A-Z a-z 0-9 _ . : -',
    example: '20260822_025022Z',
    pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$',
  })
  runId!: string;
  @ApiProperty({ description: 'ISO-8601 instant with Z or an offset', example: '2026-08-22T02:50:22Z', format: 'date-time' })
  startedAt!: string;
  @ApiPropertyOptional({ description: 'The suite the run belongs to', example: 'default' })
  suite?: string;
  @ApiPropertyOptional({ description: 'Where the run comes from; default `api`', example: 'ci:gptme-evals' })
  source?: string;
  @ApiProperty({ type: [EvalOutcomeBodyDto], minItems: 1 })
  outcomes!: EvalOutcomeBodyDto[];
}
