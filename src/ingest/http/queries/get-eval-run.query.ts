import { Query } from '@nestjs/cqrs';
import type { EvalRunDetailView } from './eval-run-views.js';

/** Resolves to null when the run is not in the read model. */
export class GetEvalRunQuery extends Query<EvalRunDetailView | null> {
  constructor(readonly runId: string) {
    super();
  }
}
