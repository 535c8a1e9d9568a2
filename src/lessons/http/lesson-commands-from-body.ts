/** The lesson request bodies as domain commands: the controller's DTO -> command mapping. */
import { randomUUID } from 'node:crypto';
import type { CreateLesson, LessonCommand, MutateLesson } from '../domain/lesson-commands.js';
import type { ChangeLessonBody, CreateLessonBody, MutateLessonBody } from './lesson-request.schemas.js';

/** The id is the caller's, or a new uuid. */
export function createCommandFrom(body: CreateLessonBody): CreateLesson {
  const { lessonId, ...fields } = body;
  return { kind: 'create', lessonId: lessonId ?? randomUUID(), ...fields };
}

export function mutateCommandFrom(body: MutateLessonBody): MutateLesson {
  const { variantId, ...fields } = body;
  return { kind: 'mutate', variantId: variantId ?? randomUUID(), ...fields };
}

/** A PATCH body as the commands it holds: fields edited, then the match change, then the status change. */
export function changeCommandsFrom(body: ChangeLessonBody): LessonCommand[] {
  const { match, status, reason, ...fields } = body;
  const commands: LessonCommand[] = [];
  const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length > 0) commands.push({ kind: 'edit', changes, ...(reason ? { reason } : {}) });
  if (match) commands.push({ kind: 'change-match', ...match, ...(reason ? { reason } : {}) });
  if (status) commands.push({ kind: 'change-status', ...status });
  return commands;
}
