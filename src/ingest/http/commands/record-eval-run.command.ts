import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type StreamAppend } from '../../../event-store/event-store.port.js';
import { recordEvalRun, type RecordRunResult } from '../record/record-eval-run.js';

/** Record one eval run (its stream's events, built from what was sent). Throws RunConflictError for other content under its id. */
export class RecordEvalRunCommand extends Command<RecordRunResult> {
  constructor(
    readonly runId: string,
    readonly append: StreamAppend,
  ) {
    super();
  }
}

@CommandHandler(RecordEvalRunCommand)
export class RecordEvalRunHandler implements ICommandHandler<RecordEvalRunCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ runId, append }: RecordEvalRunCommand): Promise<RecordRunResult> {
    return recordEvalRun(this.store, append, runId);
  }
}
