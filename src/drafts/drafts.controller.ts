import { Body, Controller, Get, HttpCode, NotFoundException, ConflictException, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { actorOf, type AuthedRequest } from '../auth/request-actor.js';
import { parseOr400 } from '../bandit/bandit-request.schemas.js';
import { DraftsService } from './drafts.service.js';
import { DraftAlreadyReviewedError, DraftNotFoundError } from './review/draft-decider.js';
import { DRAFT_STATUSES } from './review/list-drafts.js';

const listQuerySchema = z.strictObject({
  status: z.enum(DRAFT_STATUSES).optional(),
  after: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  evidence: z.enum(['true', 'false']).default('true'),
});
const draftIdSchema = z.string().uuid();
const acceptBodySchema = z.strictObject({});
const rejectBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

function mapped(error: unknown): never {
  if (error instanceof DraftNotFoundError) throw new NotFoundException(error.message);
  if (error instanceof DraftAlreadyReviewedError) throw new ConflictException(error.message);
  throw error;
}

@ApiTags('drafts')
@Controller('drafts')
export class DraftsController {
  constructor(private readonly drafts: DraftsService) {}

  @Get()
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Lesson drafts proposed from recurring failures, with their review and evidence, a page at a time',
    description: 'Query: status (proposed|accepted|rejected)?, after (the last draftId of the previous page)?, limit (1-200, default 50), evidence (true|false, default true).',
  })
  list(@Query() query: Record<string, unknown>) {
    const q = parseOr400(listQuerySchema, query);
    return this.drafts.list({ status: q.status, after: q.after, limit: q.limit, evidence: q.evidence === 'true' });
  }

  @Get(':id')
  @RequiresScope('read')
  @ApiOperation({ summary: 'One lesson draft: pattern, statistics, keywords, lesson file, evidence and review' })
  async show(@Param('id') id: string) {
    return (await this.drafts.show(parseOr400(draftIdSchema, id))) ?? mapped(new DraftNotFoundError(id));
  }

  @Post(':id/accept')
  @HttpCode(200)
  @RequiresScope('write')
  @ApiOperation({ summary: 'Accept a draft: creates its lesson with status draft (the bandit then tests it); accepting again answers the same lesson' })
  async accept(@Param('id') id: string, @Body() body: unknown, @Req() request: AuthedRequest) {
    parseOr400(acceptBodySchema, body ?? {});
    try {
      return await this.drafts.accept(parseOr400(draftIdSchema, id), actorOf(request) ?? 'api');
    } catch (error) {
      mapped(error);
    }
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequiresScope('write')
  @ApiOperation({ summary: 'Reject a draft with a reason (body: { reason }); who rejected it is recorded' })
  async reject(@Param('id') id: string, @Body() body: unknown, @Req() request: AuthedRequest) {
    const { reason } = parseOr400(rejectBodySchema, body ?? {});
    try {
      return await this.drafts.reject(parseOr400(draftIdSchema, id), reason, actorOf(request) ?? 'api');
    } catch (error) {
      mapped(error);
    }
  }
}
