import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EvalReadModels } from '../read-model/eval-read-models.read-model.js';
import { page } from './eval-query-params.js';
import { GetTrendsQuery } from './eval-read-model.queries.js';

@QueryHandler(GetTrendsQuery)
export class GetTrendsHandler implements IQueryHandler<GetTrendsQuery> {
  constructor(private readonly readModels: EvalReadModels) {}

  async execute({ params: p }: GetTrendsQuery) {
    const model = p.model !== undefined ? { model: p.model } : {};
    if (p.rules === 'gptme') {
      if (p.diff) return this.readModels.gptmeDiff(model);
      const report = await this.readModels.gptmeTrends({ ...model, ...(p.last !== undefined ? { last: p.last } : {}) });
      // As gptme's --regressions / --improvements: the other changing lists are emptied.
      const shown = p.regressions
        ? { ...report, improvements: [], flaky: [] }
        : p.improvements
          ? { ...report, regressions: [], flaky: [] }
          : report;
      if (p.limit === undefined && p.offset === 0) return shown;
      return Object.fromEntries(Object.entries(shown).map(([k, list]) => [k, page(list, p.limit, p.offset).items]));
    }
    const result = await this.readModels.statisticalTrends({
      ...model,
      ...(p.ruleSet !== undefined ? { ruleSet: p.ruleSet } : {}),
      ...(p.format !== undefined ? { format: p.format } : {}),
      ...(p.test !== undefined ? { test: p.test } : {}),
      ...(p.label !== undefined ? { label: p.label } : {}),
      ...(p.from !== undefined ? { from: p.from } : {}),
      ...(p.to !== undefined ? { to: p.to } : {}),
    });
    return { rules: 'statistical', ruleSet: result.ruleSet, parameters: result.rules, counts: result.counts, ...page(result.entries, p.limit ?? 50, p.offset) };
  }
}
