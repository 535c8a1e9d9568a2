import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../../contracts/envelope.js';
import { apiMetadata } from '../../common/commands/api-metadata.js';
import { handleCommand } from '../../common/commands/handle-command.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { MutateLesson } from '../domain/lesson-commands.js';
import { lessonDecider } from '../domain/lesson-decider.js';
import type { LessonState } from '../domain/lesson-state.js';
import { lessonStreamId } from '../domain/lesson-stream.js';
import { loadLesson } from '../store/lesson-events.js';

/** POST /lessons/:id/variants: a new lesson made from this one (LessonMutated), in the variant's own stream. */
export class MutateLessonCommand extends Command<LessonState> {
  constructor(
    readonly parentId: string,
    readonly mutate: MutateLesson,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(MutateLessonCommand)
export class MutateLessonHandler implements ICommandHandler<MutateLessonCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ parentId, mutate, actor }: MutateLessonCommand): Promise<LessonState> {
    return mutateLesson(this.store, parentId, mutate, apiMetadata(actor));
  }
}

/** Decided on the parent as read now; appended as the first event of the variant's stream. */
export async function mutateLesson(store: EventStore, parentId: string, command: MutateLesson, metadata: EventMetadata): Promise<LessonState> {
  const { state: parent } = await loadLesson(store, parentId);
  const variant = { kind: 'make-variant' as const, parentId, parent, mutate: command };
  const { state } = await handleCommand(store, lessonStreamId(command.variantId), variant, lessonDecider, { metadata });
  return state!;
}
