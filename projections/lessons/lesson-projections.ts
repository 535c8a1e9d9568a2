/** The lesson read models, for the projection engine's registry (one line where the app lists its projections). */
import { lessonCatalogue } from './lesson-catalogue.js';
import { lessonKeywordIndex } from './lesson-keyword-index.js';
import { lessonTimeline } from './lesson-timeline.js';

export const lessonProjections = [lessonCatalogue, lessonTimeline, lessonKeywordIndex] as const;
