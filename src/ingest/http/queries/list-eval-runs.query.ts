import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EvalRunSummaryView } from './eval-run-views.js';
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
