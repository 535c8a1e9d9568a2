import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { LessonState } from '../domain/lesson-state.js';
import type { CreateLessonBody } from '../http/lesson-request.schemas.js';
import { apiMetadata } from './api-metadata.js';
import { createLesson } from './lesson-writer.js';

/** POST /lessons. The id is the caller's, or a new uuid. */
export class CreateLessonCommand extends Command<LessonState> {
  constructor(
    readonly body: CreateLessonBody,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(CreateLessonCommand)
export class CreateLessonHandler implements ICommandHandler<CreateLessonCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ body, actor }: CreateLessonCommand): Promise<LessonState> {
    const { lessonId, ...fields } = body;
    return createLesson(this.store, { kind: 'create', lessonId: lessonId ?? randomUUID(), ...fields }, apiMetadata(actor));
  }
}
