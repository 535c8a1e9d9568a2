import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { LessonCommand } from '../domain/lesson-commands.js';
import type { LessonState } from '../domain/lesson-state.js';
import type { ChangeLessonBody } from '../http/lesson-request.schemas.js';
import { apiMetadata } from './api-metadata.js';
import { changeLesson } from './lesson-writer.js';

/** PATCH /lessons/:id at a revision: field edits, a match change and a status change, written together or not at all. */
export class ChangeLessonCommand extends Command<LessonState> {
  constructor(
    readonly lessonId: string,
    readonly expectedRevision: number,
    readonly body: ChangeLessonBody,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(ChangeLessonCommand)
export class ChangeLessonHandler implements ICommandHandler<ChangeLessonCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ lessonId, expectedRevision, body, actor }: ChangeLessonCommand): Promise<LessonState> {
    return changeLesson(this.store, lessonId, expectedRevision, commandsFor(body), apiMetadata(actor));
  }
}

export function commandsFor(body: ChangeLessonBody): LessonCommand[] {
  const { match, status, reason, ...fields } = body;
  const commands: LessonCommand[] = [];
  const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length > 0) commands.push({ kind: 'edit', changes, ...(reason ? { reason } : {}) });
  if (match) commands.push({ kind: 'change-match', ...match, ...(reason ? { reason } : {}) });
  if (status) commands.push({ kind: 'change-status', ...status });
  return commands;
}
