/** One reason a submitted run was refused. */
export interface RunProblem {
  /**
   * JSON body: the 0-based index into `outcomes`; CSV body: the 1-based line in the file (the header is
   * line 1). null for the run as a whole (run id, start time, the body itself).
   */
  row: number | null;
  /** JSON: the field path inside the outcome or run (`passed`, `cases.0.name`, `runId`); CSV: the column name. */
  field: string | null;
  reason: string;
}

/** The whole run is refused and nothing was written. */
export class RunRejectedError extends Error {
  constructor(readonly problems: RunProblem[]) {
    super(`The run was not recorded: ${problems.length} problem(s)`);
    this.name = 'RunRejectedError';
  }
}
