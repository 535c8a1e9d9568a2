import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EvalRunsReadModel } from '../read-model/eval-runs.read-model.js';
import type { EvalRunDetailView } from './eval-run-views.js';
import { toOutcomeView, toSummaryView } from './eval-run-views.js';
import { GetEvalRunQuery } from './get-eval-run.query.js';

@QueryHandler(GetEvalRunQuery)
export class GetEvalRunHandler implements IQueryHandler<GetEvalRunQuery> {
  constructor(private readonly readModel: EvalRunsReadModel) {}

  async execute({ runId }: GetEvalRunQuery): Promise<EvalRunDetailView | null> {
    const found = await this.readModel.getRun(runId);
    if (!found) return null;
    return { ...toSummaryView(found.run), outcomes: found.outcomes.map(toOutcomeView) };
  }
}
