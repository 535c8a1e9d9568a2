import { Command } from '@nestjs/cqrs';

export interface RecordExternalChangeResult {
  status: 'recorded' | 'already-recorded';
  changeId: string;
  eventId: string;
  streamId: string;
}

/** Record one ExternalChangeObserved. Throws ExternalChangeRejectedError or ExternalChangeConflictError. */
export class RecordExternalChangeCommand extends Command<RecordExternalChangeResult> {
  constructor(
    readonly body: unknown,
    readonly actor?: string,
  ) {
    super();
  }
}
