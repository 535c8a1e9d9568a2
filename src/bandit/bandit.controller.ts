import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Req, ServiceUnavailableException } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { actorOf as actorNameOf, type AuthedRequest as AuthRequest } from '../auth/request-actor.js';
import { BanditService, SessionAlreadyRewardedError, SessionNotFoundError } from './bandit.service.js';
import { InvalidRewardError } from './outcome-rewards/define-reward.js';
import { OutcomeIndexAbsentError, OutcomeIndexBehindError } from './outcome-rewards/resolve-eval-outcomes.js';
import { outcomeBodySchema, parseOr400, posteriorQuerySchema, selectionBodySchema } from './bandit-request.schemas.js';

const actorOf = (request: AuthRequest) => {
  const actor = actorNameOf(request);
  return actor ? { actor } : {};
};

@ApiTags('bandit')
@Controller()
export class BanditController {
  constructor(private readonly bandit: BanditService) {}

  @Post('sessions/:sessionId/lesson-selection')
  @RequiresScope('write')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Thompson sampling: match lessons to the session, draw theta ~ Beta(alpha, beta) for each, select the top k',
    description: 'Appends one LessonArmsSampled event with alpha, beta and theta of every candidate, the selection, the rule set and the seed.',
  })
  @ApiOkResponse({ description: '{ sessionId, candidates: [{ lessonId, armKey, alpha, beta, theta }], selected, policy, seed, eventId, globalPosition }' })
  @ApiBadRequestResponse({ description: 'Invalid body (text required; tools, model, category, seed optional)' })
  select(@Param('sessionId') sessionId: string, @Body() body: unknown, @Req() request: AuthRequest) {
    return this.bandit.selectLessons(sessionId, { ...parseOr400(selectionBodySchema, body), ...actorOf(request) });
  }

  @Post('sessions/:sessionId/outcome')
  @RequiresScope('write')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: "The session's reward (SessionRewardObserved); moves the posteriors of the lessons it selected",
    description:
      'Body: { reward?: number in [0, 1], evalOutcomeIds?: TestOutcomeRecorded event ids, evalOutcomes?: [{ runId, test, model }], salience?: { lessonId: weight } }. ' +
      'With eval outcome references the reward is defined by them: the fraction passed among the referenced outcomes that are not suspected ' +
      'infrastructure errors; the event records the outcomes (ids and global positions) in fromOutcomes. A reward given as well must agree. ' +
      'Responds { eventId, globalPosition, reward }.',
  })
  @ApiBadRequestResponse({
    description:
      'Invalid body; or references that name no outcome (one problem per reference: evalOutcomeIds.<i> / evalOutcomes.<i>); or only infrastructure-error outcomes (no reward defined); or a reward that disagrees with them. Nothing is recorded.',
  })
  @ApiServiceUnavailableResponse({
    description: 'evalOutcomeIds: the eval outcome index (test-history read model) is being projected but has not caught up with the log yet (retry, or use evalOutcomes)',
  })
  @ApiNotFoundResponse({ description: 'The session has no lesson selection' })
  @ApiConflictResponse({
    description:
      'The session already has its reward; or evalOutcomeIds while the test-history read model was never built in this database or is behind with no process projecting it ' +
      '(the message says what to do: run projections, or reference outcomes as evalOutcomes [{ runId, test, model }], which need no read model)',
  })
  async outcome(@Param('sessionId') sessionId: string, @Body() body: unknown, @Req() request: AuthRequest) {
    try {
      return await this.bandit.recordOutcome(sessionId, { ...parseOr400(outcomeBodySchema, body), ...actorOf(request) });
    } catch (error) {
      if (error instanceof SessionNotFoundError) throw new NotFoundException(error.message);
      if (error instanceof SessionAlreadyRewardedError) throw new ConflictException(error.message);
      if (error instanceof InvalidRewardError) throw new BadRequestException({ message: 'Invalid reward', problems: error.problems });
      if (error instanceof OutcomeIndexBehindError) throw new ServiceUnavailableException(error.message);
      if (error instanceof OutcomeIndexAbsentError) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Get('lessons/:id/posterior')
  @RequiresScope('read')
  @ApiOperation({ summary: "A lesson's posterior per arm (global, then per model / category): alpha, beta, mean, 90% credible interval, n" })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 instant: from the bandit events that had happened by then (world time)' })
  posterior(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    const { asOf } = parseOr400(posteriorQuerySchema, query);
    return this.bandit.posterior(id, asOf ? new Date(asOf) : undefined);
  }
}
