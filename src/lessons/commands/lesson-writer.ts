/**
 * The command side's one way to write a lesson: read its stream, check the revision the caller edited,
 * decide, append with that revision as the expected one. A concurrent writer that got there first turns
 * into LessonRevisionConflictError with the revision now current: nothing is lost, nothing overwritten.
 */
import type { EventMetadata } from '../../../contracts/envelope.js';
import { ConcurrencyError, type EventStore } from '../../event-store/event-store.port.js';
import { decideLesson, decideLessonChanges } from '../domain/decide-lesson.js';
import { foldLesson } from '../domain/evolve-lesson.js';
import type { CreateLesson, LessonCommand, MutateLesson } from '../domain/lesson-commands.js';
import { LessonAlreadyExistsError, LessonNotFoundError, LessonRevisionConflictError } from '../domain/lesson-errors.js';
import type { LessonState } from '../domain/lesson-state.js';
import { lessonStreamId } from '../domain/lesson-stream.js';
import { loadLesson, toNewEvents } from '../store/lesson-events.js';

export async function createLesson(store: EventStore, command: CreateLesson, metadata: EventMetadata): Promise<LessonState> {
  const drafts = decideLesson(null, command, command.lessonId);
  const events = toNewEvents(drafts, metadata);
  try {
    await store.appendToStream(lessonStreamId(command.lessonId), events, { expectedRevision: 'no_stream' });
  } catch (error) {
    if (error instanceof ConcurrencyError) throw new LessonAlreadyExistsError(command.lessonId);
    throw error;
  }
  return foldLesson(events.map((e, i) => ({ ...e, streamRevision: i })))!;
}

/** Applies commands to the lesson at `expectedRevision` (the caller's If-Match) in one append. */
export async function changeLesson(
  store: EventStore,
  lessonId: string,
  expectedRevision: number,
  commands: readonly LessonCommand[],
  metadata: EventMetadata,
): Promise<LessonState> {
  const { state } = await loadLesson(store, lessonId);
  if (!state) throw new LessonNotFoundError(lessonId);
  if (state.revision !== expectedRevision) throw new LessonRevisionConflictError(lessonId, expectedRevision, state.revision);
  const events = toNewEvents(decideLessonChanges(state, commands), metadata);
  try {
    await store.appendToStream(lessonStreamId(lessonId), events, { expectedRevision: BigInt(expectedRevision) });
  } catch (error) {
    if (error instanceof ConcurrencyError) {
      const now = typeof error.actual === 'bigint' ? Number(error.actual) : ((await loadLesson(store, lessonId)).state?.revision ?? -1);
      throw new LessonRevisionConflictError(lessonId, expectedRevision, now);
    }
    throw error;
  }
  return foldLesson(events.map((e, i) => ({ ...e, streamRevision: expectedRevision + 1 + i })), state)!;
}

/** A new lesson (its own stream) made as a variant of `parentId`. */
export async function mutateLesson(store: EventStore, parentId: string, command: MutateLesson, metadata: EventMetadata): Promise<LessonState> {
  const { state: parent } = await loadLesson(store, parentId);
  if (!parent) throw new LessonNotFoundError(parentId);
  const events = toNewEvents(decideLesson(parent, command), metadata);
  try {
    await store.appendToStream(lessonStreamId(command.variantId), events, { expectedRevision: 'no_stream' });
  } catch (error) {
    if (error instanceof ConcurrencyError) throw new LessonAlreadyExistsError(command.variantId);
    throw error;
  }
  return foldLesson(events.map((e, i) => ({ ...e, streamRevision: i })))!;
}
