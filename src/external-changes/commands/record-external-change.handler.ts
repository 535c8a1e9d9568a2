import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { NewEvent } from '../../../contracts/envelope.js';
import { ConcurrencyError, EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { validateExternalChangeBody } from '../dto/external-change-body.schema.js';
import { buildExternalChangeEvent, externalChangeStreamId } from '../external-change-events.js';
import { ExternalChangeConflictError, ExternalChangeRejectedError } from './external-change-errors.js';
import { RecordExternalChangeCommand, type RecordExternalChangeResult } from './record-external-change.command.js';

export const EXTERNAL_CHANGE_API_SOURCE = 'api';

/** One stream per change, written once: a re-send of the same change is a no-op, other content under its id a 409. */
@CommandHandler(RecordExternalChangeCommand)
export class RecordExternalChangeHandler implements ICommandHandler<RecordExternalChangeCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ body, actor }: RecordExternalChangeCommand): Promise<RecordExternalChangeResult> {
    const validated = validateExternalChangeBody(body);
    if (!validated.ok) throw new ExternalChangeRejectedError(validated.problems);
    const event = buildExternalChangeEvent(validated.change, { source: EXTERNAL_CHANGE_API_SOURCE, ...(actor ? { actor } : {}) });
    const streamId = externalChangeStreamId(event.data.changeId);
    const result = { changeId: event.data.changeId, eventId: event.eventId, streamId };

    let appended = 0;
    try {
      appended = (await this.store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' })).appended;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    if (appended === 1) return { status: 'recorded', ...result };
    const [stored] = await this.store.readStream(streamId, { maxCount: 1 });
    const differences = stored ? changeDifferences(stored, event) : ['the stored stream is empty'];
    if (differences.length > 0) throw new ExternalChangeConflictError(event.data.changeId, differences);
    return { status: 'already-recorded', ...result };
  }
}

function changeDifferences(stored: NewEvent, submitted: NewEvent<'ExternalChangeObserved'>): string[] {
  const before = stored.data as Record<string, unknown>;
  const after = submitted.data as unknown as Record<string, unknown>;
  const fields = ['kind', 'subject', 'description'].filter((f) => before[f] !== after[f]);
  if (stored.metadata.occurredAt !== submitted.metadata.occurredAt) fields.push('occurredAt');
  return fields.map((f) => `${f} differs`);
}
