/**
 * `lesson-catalogue`: every lesson's current state, one document per lesson (key: lessonId), folded with the
 * aggregate's own evolve so the catalogue and the command side agree. Deleted lessons stay, marked deleted.
 * Behind `GET /lessons` (filters by status, category, keyword) and `POST /lessons/match`.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { evolveLesson } from '../../src/lessons/domain/evolve-lesson.js';
import type { LessonState } from '../../src/lessons/domain/lesson-state.js';
import { LESSON_EVENT_TYPES } from '../../src/lessons/domain/lesson-stream.js';
import { defineDocumentProjection } from '../machinery/projection.js';

export const LESSON_CATALOGUE_TABLE = 'lesson_catalogue';

export type LessonCatalogueDoc = LessonState | null;

export const lessonCatalogue = defineDocumentProjection<LessonCatalogueDoc, Record<string, never>>({
  name: 'lesson-catalogue',
  version: 1,
  description: "Every lesson's current state (deleted ones marked), for listing, filtering and matching",
  oneSegmentBecause: 'a lesson\'s events are few (edits, status changes): one segment keeps up',
  eventTypes: LESSON_EVENT_TYPES,
  defaultRules: {},
  documentTable: LESSON_CATALOGUE_TABLE,
  documentKeys: (event: RecordedEvent) => [(event.data as { lessonId: string }).lessonId],
  initialDocument: () => null,
  evolve: (doc, event) => evolveLesson(doc, event),
});
