/** OpenAPI descriptions of the /lessons bodies and answers (validation is the zod schemas' job). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DECIDERS } from '../../../contracts/evidence.js';
import { LESSON_STATUSES } from '../../../contracts/lesson.js';

export class MatchListsDto {
  @ApiPropertyOptional({ type: [String], description: 'Case-insensitive substrings of the text; `*` = zero or more word characters' })
  keywords?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Regular expressions (case-insensitive)' })
  patterns?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Tool names; a lesson matches when one of them was used' })
  tools?: string[];
  @ApiPropertyOptional({ type: [String] })
  sessionCategories?: string[];
}

export class CreateLessonBodyDto {
  @ApiPropertyOptional({ description: 'A slug or uuid; default a new uuid', example: 'shell-path-quoting' })
  lessonId?: string;
  @ApiPropertyOptional({ description: 'Path relative to a lessons folder, for a lesson that is (or will be) a file' })
  path?: string;
  @ApiProperty({ example: 'Quote Shell Paths' }) title!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ example: 'tools' }) category!: string;
  @ApiPropertyOptional({ description: 'Markdown (the lesson file without its frontmatter)', default: '' }) body?: string;
  @ApiPropertyOptional({ type: MatchListsDto }) match?: MatchListsDto;
  @ApiPropertyOptional({ enum: LESSON_STATUSES, default: 'active' }) status?: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) targetGrade?: string | string[];
  @ApiPropertyOptional() confoundNote?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) extraFrontmatter?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Why; kept with the event' }) reason?: string;
}

export class MatchChangeDto {
  @ApiPropertyOptional({ type: MatchListsDto }) add?: MatchListsDto;
  @ApiPropertyOptional({ type: MatchListsDto }) remove?: MatchListsDto;
  @ApiPropertyOptional({ enum: DECIDERS, default: 'human' }) decidedBy?: string;
  @ApiPropertyOptional() ruleSetId?: string;
}

export class StatusChangeDto {
  @ApiProperty({ enum: LESSON_STATUSES }) to!: string;
  @ApiProperty({ example: 'superseded by git-commit-format' }) reason!: string;
  @ApiPropertyOptional({ enum: DECIDERS, default: 'human' }) decidedBy?: string;
  @ApiPropertyOptional() ruleSetId?: string;
  @ApiPropertyOptional() ruleSetVersion?: number;
}

export class ChangeLessonBodyDto {
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional({ nullable: true }) description?: string | null;
  @ApiPropertyOptional() body?: string;
  @ApiPropertyOptional() category?: string;
  @ApiPropertyOptional({ nullable: true, oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) targetGrade?: string | string[] | null;
  @ApiPropertyOptional({ nullable: true }) confoundNote?: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) extraFrontmatter?: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: MatchChangeDto }) match?: MatchChangeDto;
  @ApiPropertyOptional({ type: StatusChangeDto }) status?: StatusChangeDto;
  @ApiPropertyOptional({ description: 'Why (kept on the edit and match events)' }) reason?: string;
}

export class MutateLessonBodyDto {
  @ApiPropertyOptional({ description: "The variant's id; default a new uuid" }) variantId?: string;
  @ApiPropertyOptional({ description: "Default: the parent's" }) title?: string;
  @ApiPropertyOptional({ description: "Default: the parent's" }) body?: string;
  @ApiPropertyOptional({ type: MatchListsDto, description: "Default: the parent's" }) match?: MatchListsDto;
  @ApiPropertyOptional({ enum: LESSON_STATUSES, default: 'draft' }) status?: string;
  @ApiProperty() reason!: string;
}

export class MatchLessonsBodyDto {
  @ApiProperty({ example: 'git push -u origin feature went to master' }) text!: string;
  @ApiPropertyOptional({ type: [String], example: ['shell'] }) tools?: string[];
  @ApiPropertyOptional({ default: 0 }) threshold?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 1000 }) limit?: number;
}

export class LessonProblemDto {
  @ApiProperty({ type: 'string', nullable: true }) field!: string | null;
  @ApiProperty() reason!: string;
}

export class LessonRejectedDto {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [LessonProblemDto] }) problems!: LessonProblemDto[];
}

export class LessonConflictDto {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty() message!: string;
  @ApiProperty() lessonId!: string;
  @ApiProperty({ description: 'The revision now current (also the ETag)' }) currentRevision!: number;
  @ApiPropertyOptional() expectedRevision?: number;
}
