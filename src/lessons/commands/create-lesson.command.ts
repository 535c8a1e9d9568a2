import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventMetadata } from '../../../contracts/envelope.js';
import { apiMetadata } from '../../common/commands/api-metadata.js';
import { handleCommand } from '../../common/commands/handle-command.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { CreateLesson } from '../domain/lesson-commands.js';
import { lessonDecider } from '../domain/lesson-decider.js';
import type { LessonState } from '../domain/lesson-state.js';
import { lessonStreamId } from '../domain/lesson-stream.js';

/** POST /lessons: a new lesson in its own stream (refused with LessonAlreadyExistsError when the id is taken). */
export class CreateLessonCommand extends Command<LessonState> {
  constructor(
    readonly create: CreateLesson,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(CreateLessonCommand)
export class CreateLessonHandler implements ICommandHandler<CreateLessonCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ create, actor }: CreateLessonCommand): Promise<LessonState> {
    return createLesson(this.store, create, apiMetadata(actor));
  }
}

export async function createLesson(store: EventStore, command: CreateLesson, metadata: EventMetadata): Promise<LessonState> {
  const { state } = await handleCommand(store, lessonStreamId(command.lessonId), command, lessonDecider, { metadata });
  return state!;
}
