import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RunCountsDto {
  @ApiProperty({ type: 'integer' })
  outcomes!: number;
  @ApiProperty({ type: 'integer' })
  passed!: number;
  @ApiProperty({ type: 'integer' })
  failed!: number;
  @ApiProperty({ type: 'integer', description: 'Failures that look like provider/quota/harness errors (kept, flagged)' })
  suspectedInfraErrors!: number;
}

export class RunExposureResultDto {
  @ApiProperty({ type: 'integer', description: 'LessonExposureRecorded events appended' })
  recorded!: number;
  @ApiProperty({ type: 'integer', description: 'Outcomes whose exposure from source `api` was already recorded (nothing appended)' })
  alreadyRecorded!: number;
  @ApiProperty({ type: [String], description: 'Lesson paths no lesson has yet, kept as unresolved references' })
  unresolvedPaths!: string[];
}

export class RecordEvalRunResultDto {
  @ApiProperty({
    enum: ['recorded', 'already-recorded'],
    description: '`recorded` (201): new; `already-recorded` (200): the same run was recorded before, nothing written',
  })
  status!: 'recorded' | 'already-recorded';
  @ApiProperty()
  runId!: string;
  @ApiProperty({ description: 'The event stream holding the run', example: 'eval-run-20260822_025022Z' })
  streamId!: string;
  @ApiProperty({ format: 'date-time' })
  startedAt!: string;
  @ApiProperty({ description: 'Source as first recorded' })
  source!: string;
  @ApiPropertyOptional()
  suite?: string;
  @ApiProperty({ type: RunCountsDto })
  counts!: RunCountsDto;
  @ApiProperty({ type: [String] })
  models!: string[];
  @ApiProperty({ type: 'integer', description: 'Events in the run stream (1 + one per outcome)' })
  events!: number;
  @ApiPropertyOptional({ type: RunExposureResultDto, description: 'Present when outcomes carried `lessons`' })
  exposure?: RunExposureResultDto;
}

export class RunConflictDto {
  @ApiProperty({ example: 409 })
  statusCode!: number;
  @ApiProperty({ example: 'Conflict' })
  error!: string;
  @ApiProperty()
  message!: string;
  @ApiProperty()
  runId!: string;
  @ApiProperty({ type: [String], description: 'How the submitted run differs from the stored one (first 10)' })
  differences!: string[];
}
