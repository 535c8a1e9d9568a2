import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { UnknownLessonError, UnknownPolicyRuleSetError } from './audit/lesson-audit.service.js';
import { AuditLessonQuery } from './queries/audit-lesson.query.js';

@ApiTags('lifecycle')
@Controller('lessons')
export class LifecycleController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/audit')
  @RequiresScope('read')
  @ApiOperation({
    summary: "Why the lesson's status changed: per change the decision, rule and parameters, posterior trajectory, sessions/rewards, eval outcomes and edits before it",
    description:
      'Also the policy flags for mutation with the same chain. Read from the lesson, flag and rule-set streams and the lesson bandit sessions (no log scan). ' +
      'With ruleSet: also whether and when that rule set would have archived or flagged the lesson, computed from the same events (nothing is written).',
  })
  @ApiQuery({ name: 'ruleSet', required: false, description: 'A RuleSetDefined id (or lifecycle-default) for the counterfactual' })
  @ApiOkResponse({ description: '{ lessonId, statusChanges: [...], mutationFlags: [...], policyMatchChanges: [...], counterfactual? }' })
  @ApiNotFoundResponse({ description: 'No such lesson, or no such rule set' })
  async audit(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    const ruleSet = query.ruleSet;
    if (ruleSet !== undefined && (typeof ruleSet !== 'string' || ruleSet.trim() === '')) {
      throw new BadRequestException('ruleSet must be a rule set id');
    }
    try {
      return await this.queries.execute(new AuditLessonQuery(id, ruleSet as string | undefined));
    } catch (error) {
      if (error instanceof UnknownLessonError || error instanceof UnknownPolicyRuleSetError) throw new NotFoundException(error.message);
      throw error;
    }
  }
}
