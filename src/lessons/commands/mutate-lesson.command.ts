import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { LessonState } from '../domain/lesson-state.js';
import type { MutateLessonBody } from '../http/lesson-request.schemas.js';
import { apiMetadata } from './api-metadata.js';
import { mutateLesson } from './lesson-writer.js';

/** POST /lessons/:id/variants: a new lesson made from this one (LessonMutated). */
export class MutateLessonCommand extends Command<LessonState> {
  constructor(
    readonly parentId: string,
    readonly body: MutateLessonBody,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(MutateLessonCommand)
export class MutateLessonHandler implements ICommandHandler<MutateLessonCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ parentId, body, actor }: MutateLessonCommand): Promise<LessonState> {
    const { variantId, ...fields } = body;
    return mutateLesson(this.store, parentId, { kind: 'mutate', variantId: variantId ?? randomUUID(), ...fields }, apiMetadata(actor));
  }
}
