import { BadGatewayException, BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, ConflictException, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { actorOf, type AuthedRequest } from '../auth/request-actor.js';
import { parseOr400 } from '../bandit/bandit-request.schemas.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { folderUnderRoot, ImportPathError } from '../imports/import-root.js';
import { UnknownDraftRuleSetError } from './detection/draft-rule-set.js';
import { DetectionLogRootError } from './detection/run-detection.js';
import { DrafterError } from './drafter/openai-drafter.js';
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
const detectBodySchema = z.strictObject({
  ruleSet: z.string().trim().min(1).max(200).default('default'),
  dryRun: z.boolean().default(false),
  logRoot: z.string().min(1).max(4096).optional(),
});
const rejectBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

function mapped(error: unknown): never {
  if (error instanceof DraftNotFoundError || error instanceof UnknownDraftRuleSetError) throw new NotFoundException(error.message);
  if (error instanceof DetectionLogRootError || error instanceof ImportPathError) throw new BadRequestException(error.message);
  if (error instanceof DrafterError) throw new BadGatewayException(error.message);
  if (error instanceof DraftAlreadyReviewedError) throw new ConflictException(error.message);
  throw error;
}

@ApiTags('drafts')
@Controller('drafts')
export class DraftsController {
  constructor(
    private readonly drafts: DraftsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('detect')
  @HttpCode(200)
  @RequiresScope('write')
  @ApiOperation({
    summary: 'Detect recurring failures and propose a draft for each pattern no active lesson covers (as `lessonloop drafts detect`)',
    description:
      "Body: { ruleSet? (default 'default'), dryRun? (false), logRoot? }. Logs are read under logRoot, a folder inside the server's " +
      'import root (LESSONLOOP_IMPORT_ROOT), or else under LESSONLOOP_LOG_ROOT. Detecting again appends nothing. A dry run ' +
      'writes nothing and sets the drafts it would propose beside the current ones (sideBySide).',
  })
  async detect(@Body() body: unknown) {
    const request = parseOr400(detectBodySchema, body ?? {});
    try {
      const logRoot = request.logRoot === undefined ? this.config.LESSONLOOP_LOG_ROOT : await folderUnderRoot(this.config.LESSONLOOP_IMPORT_ROOT ?? process.cwd(), request.logRoot);
      return await this.drafts.detect({ logRoot, ruleSet: request.ruleSet, dryRun: request.dryRun });
    } catch (error) {
      mapped(error);
    }
  }

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
