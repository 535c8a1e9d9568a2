import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { z } from 'zod';
import { EvalRunsReadModel } from '../read-model/eval-runs.read-model.js';
import { toSummaryView, type EvalRunSummaryView } from './eval-run-views.js';
import { pageParamsShape } from './list-query-params.js';

export const listEvalRunsParamsSchema = z.strictObject({
  ...pageParamsShape,
  model: z.string().min(1).optional(),
});
export type ListEvalRunsParams = z.infer<typeof listEvalRunsParamsSchema>;

export class ListEvalRunsQuery extends Query<{ items: EvalRunSummaryView[]; nextCursor: string | null }> {
  constructor(readonly params: ListEvalRunsParams) {
    super();
  }
}

@QueryHandler(ListEvalRunsQuery)
export class ListEvalRunsHandler implements IQueryHandler<ListEvalRunsQuery> {
  constructor(private readonly readModel: EvalRunsReadModel) {}

  async execute({ params }: ListEvalRunsQuery) {
    const page = await this.readModel.listRuns(params);
    return { items: page.rows.map(toSummaryView), nextCursor: page.nextCursor };
  }
}
