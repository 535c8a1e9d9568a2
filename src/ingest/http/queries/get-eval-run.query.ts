import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EvalRunsReadModel } from '../read-model/eval-runs.read-model.js';
import { toOutcomeView, toSummaryView, type EvalRunDetailView } from './eval-run-views.js';

/** Resolves to null when the run is not in the read model. */
export class GetEvalRunQuery extends Query<EvalRunDetailView | null> {
  constructor(readonly runId: string) {
    super();
  }
}

@QueryHandler(GetEvalRunQuery)
export class GetEvalRunHandler implements IQueryHandler<GetEvalRunQuery> {
  constructor(private readonly readModel: EvalRunsReadModel) {}

  async execute({ runId }: GetEvalRunQuery): Promise<EvalRunDetailView | null> {
    const found = await this.readModel.getRun(runId);
    if (!found) return null;
    return { ...toSummaryView(found.run), outcomes: found.outcomes.map(toOutcomeView) };
  }
}
