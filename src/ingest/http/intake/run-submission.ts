/** A run as sent over HTTP (JSON body or CSV text) -> its stream's events: the controller's DTO -> command mapping. */
import type { StreamAppend } from '../../../event-store/event-store.port.js';
import { buildEvalRunEvents } from '../../eval-run-events.js';
import { evalRunFromCsv, type CsvRunParams } from './csv-run.js';
import { eventProblems } from './event-problems.js';
import { evalRunFromJson } from './json-run.js';
import { RunRejectedError } from './run-problem.js';

export type EvalRunSubmission = { format: 'json'; body: unknown } | { format: 'csv'; text: string; params: CsvRunParams };

/** Throws RunRejectedError (with every problem) when the submission is not a valid run; `actor` goes into metadata.actor. */
export function runAppendFrom(submission: EvalRunSubmission, actor?: string): { runId: string; append: StreamAppend } {
  const intake = submission.format === 'json' ? evalRunFromJson(submission.body) : evalRunFromCsv(submission.text, submission.params);
  if (!intake.ok) throw new RunRejectedError(intake.problems);
  const append = buildEvalRunEvents(intake.run);
  if (actor !== undefined) append.events = append.events.map((e) => ({ ...e, metadata: { ...e.metadata, actor } }));
  const problems = eventProblems(append.events, intake.rowOfOutcome);
  if (problems.length > 0) throw new RunRejectedError(problems);
  return { runId: intake.run.runId, append };
}
