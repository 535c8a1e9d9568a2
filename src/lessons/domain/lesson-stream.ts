/** Where a lesson's events live and which event types belong to lessons. */
import type {
  LessonCreatedData,
  LessonDeletedData,
  LessonEditedData,
  LessonMatchChangedData,
  LessonMovedData,
  LessonMutatedData,
  LessonStatusChangedData,
} from '../../../contracts/lesson.js';

export const LESSON_STREAM_PREFIX = 'lesson-';

export function lessonStreamId(lessonId: string): string {
  return `${LESSON_STREAM_PREFIX}${lessonId}`;
}

export const LESSON_EVENT_TYPES = [
  'LessonCreated',
  'LessonEdited',
  'LessonMatchChanged',
  'LessonStatusChanged',
  'LessonMutated',
  'LessonMoved',
  'LessonDeleted',
] as const;

/** An event's type and data as decide() produces them (the envelope is added when they are appended). */
export type LessonEventDraft =
  | { type: 'LessonCreated'; data: LessonCreatedData }
  | { type: 'LessonEdited'; data: LessonEditedData }
  | { type: 'LessonMatchChanged'; data: LessonMatchChangedData }
  | { type: 'LessonStatusChanged'; data: LessonStatusChangedData }
  | { type: 'LessonMutated'; data: LessonMutatedData }
  | { type: 'LessonMoved'; data: LessonMovedData }
  | { type: 'LessonDeleted'; data: LessonDeletedData };

export type LessonEventType = LessonEventDraft['type'];

export function isLessonEventType(type: string): type is LessonEventType {
  return (LESSON_EVENT_TYPES as readonly string[]).includes(type);
}
