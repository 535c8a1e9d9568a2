import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXTERNAL_CHANGE_KINDS } from '../../../contracts/external.js';

export class RecordExternalChangeBodyDto {
  @ApiPropertyOptional({
    description:
      'Stable id of the change; sending the same id and content again is a no-op. Default: derived from kind, subject, ' +
      'occurredAt and description, so an exact re-send is a no-op too',
    pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$',
    example: 'openai-gpt-4o-2026-03-01',
  })
  changeId?: string;
  @ApiProperty({ enum: EXTERNAL_CHANGE_KINDS })
  kind!: string;
  @ApiProperty({ description: 'What changed, e.g. a model name or the harness', example: 'openai/gpt-4o' })
  subject!: string;
  @ApiProperty({ example: 'Provider moved the alias to a new snapshot' })
  description!: string;
  @ApiProperty({ format: 'date-time', description: 'When it happened in the world (ISO-8601 with Z or an offset)' })
  occurredAt!: string;
}

export class ExternalChangeDto {
  @ApiProperty()
  changeId!: string;
  @ApiProperty({ enum: EXTERNAL_CHANGE_KINDS })
  kind!: string;
  @ApiProperty()
  subject!: string;
  @ApiProperty()
  description!: string;
  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When lessonloop recorded it' })
  recordedAt!: string;
  @ApiProperty()
  source!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The API token that recorded it' })
  actor!: string | null;
  @ApiProperty({ description: 'Id of the ExternalChangeObserved event' })
  eventId!: string;
  @ApiProperty({ description: "The event's global position (decimal string), for evidence references" })
  globalPosition!: string;
}

export class RecordExternalChangeResultDto {
  @ApiProperty({ enum: ['recorded', 'already-recorded'] })
  status!: 'recorded' | 'already-recorded';
  @ApiProperty()
  changeId!: string;
  @ApiProperty()
  eventId!: string;
  @ApiProperty()
  streamId!: string;
}

export class ExternalChangePageDto {
  @ApiProperty({ type: [ExternalChangeDto], description: 'Newest first (by occurredAt, then changeId)' })
  items!: ExternalChangeDto[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class FieldProblemDto {
  @ApiProperty({ type: 'string', nullable: true })
  field!: string | null;
  @ApiProperty()
  reason!: string;
}

export class ExternalChangeRejectedDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;
  @ApiProperty({ example: 'Bad Request' })
  error!: string;
  @ApiProperty()
  message!: string;
  @ApiProperty({ type: [FieldProblemDto] })
  problems!: FieldProblemDto[];
}
