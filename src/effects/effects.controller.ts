import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  ServiceUnavailableException,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { actorOf, type AuthedRequest as AuthRequest } from '../auth/request-actor.js';
import { parseOr400 } from '../bandit/bandit-request.schemas.js';
import { OutcomeIndexAbsentError, OutcomeIndexBehindError } from '../bandit/outcome-rewards/resolve-eval-outcomes.js';
import { page } from '../common/list-params.js';
import { SerializedJsonInterceptor } from '../eval-read-models/serialized-json.interceptor.js';
import { withLessonNames } from '../lessons/read-model/lesson-titles.js';
import { EffectsService } from './effects.service.js';
import { EffectsNotBuiltError, UnknownEffectRuleSetError } from './effects-reader.js';
import { effectQuerySchema, effectsListQuerySchema, exposuresBodySchema } from './exposure-request.schemas.js';
import { InvalidExposureError } from './record-exposures.js';


function mapped(error: unknown): never {
  if (error instanceof InvalidExposureError) throw new BadRequestException({ message: 'Invalid exposure; nothing was recorded', problems: error.problems });
  if (error instanceof UnknownEffectRuleSetError) throw new NotFoundException(error.message);
  if (error instanceof EffectsNotBuiltError) throw new ServiceUnavailableException(error.message);
  if (error instanceof OutcomeIndexBehindError) throw new ServiceUnavailableException(error.message);
  if (error instanceof OutcomeIndexAbsentError) throw new ConflictException(error.message);
  throw error;
}

@ApiTags('effects')
@Controller()
export class EffectsController {
  constructor(private readonly effects: EffectsService) {}

  @Post('exposures')
  @RequiresScope('write')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Which lessons eval outcomes received (injected) and which were withheld, and why (LessonExposureRecorded per outcome)',
    description:
      'Body: { source?: string (default api), exposures: [{ outcomeEventId, category?, sessionId?, injected: [{ lessonId | path, revision?, propensity?, holdoutRate? }], ' +
      'withheld: [{ lessonId | path, withheldBy: coin|cap|run-holdout|unknown, revision?, propensity?, holdoutRate? }] }] }. An unknown outcome or lesson id is a 400 ' +
      'listing every problem, and nothing is written; an unknown path is kept as an unresolved reference. The same outcome from the same source is recorded once.',
  })
  async record(@Body() body: unknown, @Req() request: AuthRequest) {
    try {
      const exposures = await this.effects.record(parseOr400(exposuresBodySchema, body), actorOf(request));
      return { recorded: exposures.filter((e) => e.appended).length, alreadyRecorded: exposures.filter((e) => !e.appended).length, exposures };
    } catch (error) {
      mapped(error);
    }
  }

  @Get('exposures/unresolved')
  @RequiresScope('read')
  @ApiOperation({ summary: 'Lesson paths exposures named that no lesson has yet (resolved into that lesson once it appears)' })
  async unresolved(@Query('ruleSet') ruleSet?: string) {
    try {
      return { paths: await this.effects.reader.unresolvedPaths(ruleSet) };
    } catch (error) {
      mapped(error);
    }
  }

  @Get('lessons/:id/effect')
  @RequiresScope('read')
  @UseInterceptors(SerializedJsonInterceptor)
  @ApiOperation({
    summary: "A lesson's effect estimates: randomized holdout (Mantel-Haenszel, Sato variance, Fisher p), stratified LOO and naive LOO (observational), IPW",
    description: 'Query: method?, ruleSet?, asOf? (world time), revision?, evidence? (false: without the evidence lists). Each estimate carries n, treated/control counts, strata and evidence (outcome event ids and global positions).',
  })
  async lessonEffect(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    const q = parseOr400(effectQuerySchema, query);
    try {
      return await this.effects.lessonEffect(id, { ...q, asOf: q.asOf ? new Date(q.asOf) : undefined });
    } catch (error) {
      mapped(error);
    }
  }

  @Get('effects')
  @RequiresScope('read')
  @ApiOperation({ summary: 'Every lesson by one estimator, paged; sort by effect, interval width or n (query: method, ruleSet, sort, order, limit, offset)' })
  async list(@Query() query: Record<string, unknown>) {
    const q = parseOr400(effectsListQuerySchema, query);
    try {
      const rows = await this.effects.reader.allEffects(q.ruleSet, q.method);
      const listed = page(sortEffects(rows, q.sort, q.order), q.limit, q.offset);
      return { method: q.method, ruleSet: q.ruleSet ?? 'default', sort: q.sort, order: q.order, ...listed, items: await withLessonNames(this.effects.sql, listed.items) };
    } catch (error) {
      mapped(error);
    }
  }
}

type Row = { lessonId: string; effect: number | null; lower: number | null; upper: number | null; n: number };

/** Rows without an estimate go last whatever the order; ties by lesson id. */
export function sortEffects<R extends Row>(rows: R[], sort: 'effect' | 'width' | 'n', order: 'asc' | 'desc'): R[] {
  const key = (r: R): number | null => (sort === 'n' ? r.n : sort === 'effect' ? r.effect : r.lower === null || r.upper === null ? null : r.upper - r.lower);
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka === null || kb === null) return ka === kb ? (a.lessonId < b.lessonId ? -1 : 1) : ka === null ? 1 : -1;
    return ka !== kb ? sign * (ka - kb) : a.lessonId < b.lessonId ? -1 : 1;
  });
}
