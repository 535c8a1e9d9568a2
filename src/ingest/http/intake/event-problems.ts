import { EventValidationError, validateNewEvent } from '../../../../contracts/catalogue.js';
import type { NewEvent } from '../../../../contracts/envelope.js';
import type { RunProblem } from './run-problem.js';

/**
 * Last check before writing: every event against the catalogue, so a rule the intake missed still ends as a
 * 400 naming the row and field, not as a 500 from the store. Events are [run event, ...one per outcome].
 */
export function eventProblems(events: readonly NewEvent[], rowOfOutcome: (index: number) => number): RunProblem[] {
  const problems: RunProblem[] = [];
  events.forEach((event, i) => {
    try {
      validateNewEvent(event);
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      for (const issue of error.issues) {
        problems.push({
          row: i === 0 ? null : rowOfOutcome(i - 1),
          field: issue.path.replace(/^data\./, ''),
          reason: `${error.eventType}: ${issue.message}`,
        });
      }
    }
  });
  return problems;
}
