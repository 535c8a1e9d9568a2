import { BadRequestException, Controller, Get, NotFoundException, Query, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { parseOr400 } from '../bandit/bandit-request.schemas.js';
import { InjectionGateNotBuiltError, InjectionGateReader, UnknownGateRuleSetError } from './injection-gate-reader.js';

const gateQuerySchema = z.strictObject({
  model: z.string().min(1).max(300).optional(),
  test: z.string().min(1).max(300).optional(),
  ruleSet: z.string().min(1).max(64).optional(),
  format: z.enum(['json', 'gptme']).default('json'),
  modelKey: z.enum(['raw', 'name']).default('raw'),
  recommendation: z.enum(['inject', 'suppress', 'default']).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

function mapped(error: unknown): never {
  if (error instanceof UnknownGateRuleSetError) throw new NotFoundException(error.message);
  if (error instanceof InjectionGateNotBuiltError) throw new ServiceUnavailableException(error.message);
  throw error;
}

@ApiTags('effects')
@Controller()
export class InjectionGateController {
  constructor(private readonly reader: InjectionGateReader) {}

  @Get('injection-gate')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Lessons on vs off per (model, eval): pass rates and n with and without, delta, Fisher p, BH q-value, inject|suppress|default',
    description:
      'Query: model & test (one pair, with each lesson\'s contrast, named by lessonId, lessonTitle and lessonPath, and the evidence), ' +
      'or neither (every pair, or with recommendation?, offset? and limit? (1-500) a page of them, with total and counts over every pair); ' +
      'ruleSet?; format=gptme answers the file gptme reads via GPTME_EVAL_PASS_RATE_GATE_FILE (modelKey=raw|name).',
  })
  async gate(@Query() query: Record<string, unknown>) {
    const q = parseOr400(gateQuerySchema, query);
    if ((q.model === undefined) !== (q.test === undefined)) throw new BadRequestException('give both model and test, or neither');
    try {
      if (q.format === 'gptme') return await this.reader.gptmeFile(q.ruleSet, q.modelKey);
      if (q.model !== undefined && q.test !== undefined) return await this.reader.pair(q.model, q.test, q.ruleSet);
      return { ruleSet: q.ruleSet ?? 'default', ...(await this.reader.pairs(q.ruleSet, { recommendation: q.recommendation, offset: q.offset, limit: q.limit })) };
    } catch (error) {
      mapped(error);
    }
  }
}
