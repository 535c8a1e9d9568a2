/** What the API shows of a lesson: its state, the revision to send back in If-Match, and its sections. */
import { lessonSections, type LessonSections } from '../domain/lesson-sections.js';
import type { LessonState } from '../domain/lesson-state.js';

export interface LessonView extends LessonState {
  sections: LessonSections;
}

export function toLessonView(state: LessonState): LessonView {
  return { ...state, sections: lessonSections(state.body) };
}
