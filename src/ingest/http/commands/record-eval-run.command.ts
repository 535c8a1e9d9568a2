import { Command } from '@nestjs/cqrs';
import type { CsvRunParams } from '../intake/csv-run.js';
import type { RecordRunResult } from '../record/record-eval-run.js';

export type EvalRunSubmission = { format: 'json'; body: unknown } | { format: 'csv'; text: string; params: CsvRunParams };

/** Record one eval run sent over HTTP. Throws RunRejectedError (invalid: nothing written) or RunConflictError. */
export class RecordEvalRunCommand extends Command<RecordRunResult> {
  constructor(
    readonly submission: EvalRunSubmission,
    /** Who sent it (the API token's name); goes into metadata.actor. */
    readonly actor?: string,
  ) {
    super();
  }
}
