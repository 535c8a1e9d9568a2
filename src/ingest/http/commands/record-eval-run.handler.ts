import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '../../../event-store/event-store.port.js';
import { buildEvalRunEvents } from '../../eval-run-events.js';
import { evalRunFromCsv } from '../intake/csv-run.js';
import { eventProblems } from '../intake/event-problems.js';
import { evalRunFromJson } from '../intake/json-run.js';
import { RunRejectedError } from '../intake/run-problem.js';
import { recordEvalRun, type RecordRunResult } from '../record/record-eval-run.js';
import { RecordEvalRunCommand } from './record-eval-run.command.js';

@CommandHandler(RecordEvalRunCommand)
export class RecordEvalRunHandler implements ICommandHandler<RecordEvalRunCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ submission, actor }: RecordEvalRunCommand): Promise<RecordRunResult> {
    const intake = submission.format === 'json' ? evalRunFromJson(submission.body) : evalRunFromCsv(submission.text, submission.params);
    if (!intake.ok) throw new RunRejectedError(intake.problems);
    const append = buildEvalRunEvents(intake.run);
    if (actor !== undefined) append.events = append.events.map((e) => ({ ...e, metadata: { ...e.metadata, actor } }));
    const problems = eventProblems(append.events, intake.rowOfOutcome);
    if (problems.length > 0) throw new RunRejectedError(problems);
    return recordEvalRun(this.store, append, intake.run.runId);
  }
}
