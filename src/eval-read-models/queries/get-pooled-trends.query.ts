import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TrendsReader } from '../read-model/trends-reader.js';
import type { PooledTrendsParams } from './eval-query-params.js';

export class GetPooledTrendsQuery {
  constructor(readonly params: PooledTrendsParams) {}
}

/** The pooled drop tests of the whole instance: two families, never paged (one entry per model, one per test). */
@QueryHandler(GetPooledTrendsQuery)
export class GetPooledTrendsHandler implements IQueryHandler<GetPooledTrendsQuery> {
  constructor(private readonly readModels: TrendsReader) {}

  async execute({ params: p }: GetPooledTrendsQuery) {
    const result = await this.readModels.pooledTrends(p.ruleSet);
    return {
      rules: 'statistical',
      ruleSet: result.ruleSet,
      instanceRuleSet: result.instanceRuleSet,
      parameters: result.rules,
      ...(p.pool === 'test' ? {} : { models: result.models }),
      ...(p.pool === 'model' ? {} : { tests: result.tests }),
    };
  }
}
