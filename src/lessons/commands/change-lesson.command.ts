import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../../contracts/envelope.js';
import { apiMetadata } from '../../common/commands/api-metadata.js';
import { handleCommand } from '../../common/commands/handle-command.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { LessonCommand } from '../domain/lesson-commands.js';
import { lessonDecider } from '../domain/lesson-decider.js';
import type { LessonState } from '../domain/lesson-state.js';
import { lessonStreamId } from '../domain/lesson-stream.js';

/**
 * PATCH /lessons/:id at a revision: field edits, a match change and a status change, written together or not
 * at all. A stale revision, or a concurrent writer that got there first, is refused by the decider on the
 * stream as it now is (LessonRevisionConflictError with the current revision): nothing lost, nothing overwritten.
 */
export class ChangeLessonCommand extends Command<LessonState> {
  constructor(
    readonly lessonId: string,
    readonly expectedRevision: number,
    readonly commands: readonly LessonCommand[],
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(ChangeLessonCommand)
export class ChangeLessonHandler implements ICommandHandler<ChangeLessonCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ lessonId, expectedRevision, commands, actor }: ChangeLessonCommand): Promise<LessonState> {
    return changeLesson(this.store, lessonId, expectedRevision, commands, apiMetadata(actor));
  }
}

/** Applies commands to the lesson at `expectedRevision` (the caller's If-Match) in one append. */
export async function changeLesson(
  store: EventStore,
  lessonId: string,
  expectedRevision: number,
  commands: readonly LessonCommand[],
  metadata: EventMetadata,
): Promise<LessonState> {
  const change = { kind: 'change' as const, lessonId, expectedRevision, commands };
  const { state } = await handleCommand(store, lessonStreamId(lessonId), change, lessonDecider, { metadata });
  return state!;
}
