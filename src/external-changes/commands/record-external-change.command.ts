import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '../../common/commands/handle-command.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { externalChangeDecider, type ExternalChange } from '../domain/external-change-decider.js';
import { externalChangeEventId, externalChangeStreamId } from '../external-change-events.js';

export const EXTERNAL_CHANGE_API_SOURCE = 'api';

export interface RecordExternalChangeResult {
  status: 'recorded' | 'already-recorded';
  changeId: string;
  eventId: string;
  streamId: string;
}

/** Record one ExternalChangeObserved: a re-send of the same change is a no-op, other content under its id ExternalChangeConflictError. */
export class RecordExternalChangeCommand extends Command<RecordExternalChangeResult> {
  constructor(
    readonly change: ExternalChange,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(RecordExternalChangeCommand)
export class RecordExternalChangeHandler implements ICommandHandler<RecordExternalChangeCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ change, actor }: RecordExternalChangeCommand): Promise<RecordExternalChangeResult> {
    const streamId = externalChangeStreamId(change.changeId);
    const eventId = externalChangeEventId(change.changeId);
    const { appended } = await handleCommand(this.store, streamId, { kind: 'record', change }, externalChangeDecider, {
      metadata: { occurredAt: change.occurredAt, source: EXTERNAL_CHANGE_API_SOURCE, ...(actor ? { actor } : {}) },
      eventId: () => eventId,
    });
    return { status: appended === 1 ? 'recorded' : 'already-recorded', changeId: change.changeId, eventId, streamId };
  }
}
