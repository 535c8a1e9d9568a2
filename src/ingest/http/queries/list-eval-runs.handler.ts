import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EvalRunsReadModel } from '../read-model/eval-runs.read-model.js';
import { toSummaryView } from './eval-run-views.js';
import { ListEvalRunsQuery } from './list-eval-runs.query.js';

@QueryHandler(ListEvalRunsQuery)
export class ListEvalRunsHandler implements IQueryHandler<ListEvalRunsQuery> {
  constructor(private readonly readModel: EvalRunsReadModel) {}

  async execute({ params }: ListEvalRunsQuery) {
    const page = await this.readModel.listRuns(params);
    return { items: page.rows.map(toSummaryView), nextCursor: page.nextCursor };
  }
}
