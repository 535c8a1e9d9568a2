import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOOL_FORMATS } from '../../../../contracts/eval.js';
import { EvalCaseBodyDto } from './eval-run-body.dto.js';
import { RunCountsDto } from './record-eval-run-result.dto.js';

export class EvalRunSummaryDto {
  @ApiProperty()
  runId!: string;
  @ApiProperty({ format: 'date-time' })
  startedAt!: string;
  @ApiProperty()
  source!: string;
  @ApiProperty({ type: 'string', nullable: true })
  suite!: string | null;
  @ApiProperty({ type: RunCountsDto })
  counts!: RunCountsDto;
  @ApiProperty({ type: [String], description: 'Model names (without format suffix) in the run' })
  models!: string[];
  @ApiProperty({ type: [String] })
  harnessCommits!: string[];
  @ApiProperty({ format: 'date-time', description: 'When lessonloop recorded the run' })
  recordedAt!: string;
  @ApiProperty({ description: 'Id of the EvalRunRecorded event' })
  eventId!: string;
  @ApiProperty({ description: 'Global position of the EvalRunRecorded event (decimal string)' })
  globalPosition!: string;
}

export class EvalRunPageDto {
  @ApiProperty({ type: [EvalRunSummaryDto], description: 'Newest first (by startedAt, then runId)' })
  items!: EvalRunSummaryDto[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}

class ScoreDto {
  @ApiProperty({ type: 'integer' })
  passed!: number;
  @ApiProperty({ type: 'integer' })
  total!: number;
}

class TokensDto {
  @ApiProperty({ type: 'integer' }) input!: number;
  @ApiProperty({ type: 'integer' }) output!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) cacheRead!: number;
  @ApiProperty({ type: 'integer' }) cacheCreation!: number;
}

class DurationsDto {
  @ApiProperty({ description: 'Seconds' }) total!: number;
  @ApiProperty() generation!: number;
  @ApiProperty() run!: number;
  @ApiProperty() eval!: number;
}

/** A TestOutcomeRecorded (current version) as recorded, plus where it is in the store. */
export class EvalOutcomeViewDto {
  @ApiProperty() runId!: string;
  @ApiPropertyOptional() suite?: string;
  @ApiProperty() test!: string;
  @ApiProperty({ description: 'Model name without format suffix' }) model!: string;
  @ApiProperty({ description: 'The model string exactly as submitted' }) rawModel!: string;
  @ApiProperty({ enum: TOOL_FORMATS, nullable: true }) toolFormat!: string | null;
  @ApiProperty({ type: 'integer', description: 'Index among repeats of (rawModel, toolFormat, test) in the run' }) occurrence!: number;
  @ApiProperty() passed!: boolean;
  @ApiPropertyOptional({ type: ScoreDto }) score?: ScoreDto;
  @ApiPropertyOptional({ type: 'integer' }) toolCalls?: number;
  @ApiPropertyOptional({ type: 'integer' }) steps?: number;
  @ApiPropertyOptional({ type: TokensDto }) tokens?: TokensDto;
  @ApiPropertyOptional() cacheHitRate?: number;
  @ApiPropertyOptional() costUsd?: number;
  @ApiPropertyOptional({ type: DurationsDto }) durations?: DurationsDto;
  @ApiPropertyOptional() harnessCommit?: string;
  @ApiPropertyOptional() logDir?: string;
  @ApiPropertyOptional() workspaceDir?: string;
  @ApiPropertyOptional({ type: [EvalCaseBodyDto] }) cases?: EvalCaseBodyDto[];
  @ApiProperty({ description: 'Failed in under 5 s with no tokens: probably not a real failure of the model' })
  suspectedInfraError!: boolean;
  @ApiProperty() eventId!: string;
  @ApiProperty({ description: 'Decimal string' }) globalPosition!: string;
}

export class EvalRunDetailDto extends EvalRunSummaryDto {
  @ApiProperty({ type: [EvalOutcomeViewDto], description: 'In the order they were submitted' })
  outcomes!: EvalOutcomeViewDto[];
}
