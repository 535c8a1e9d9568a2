/**
 * Whether an active lesson already covers a pattern: one of its keywords matches at least half of the error
 * lines the pattern was found on (its training failures, or its exemplar when it has none). Such a pattern gets
 * no draft: the lesson exists, whatever it achieves. Pure.
 */
import type { DetectedPattern } from '../../../projections/drafts/detect-patterns.js';
import { keywordMatches } from './choose-keywords.js';

export interface KeywordLesson {
  lessonId: string;
  status: string;
  keywords: readonly string[];
}

export function coveringLesson(pattern: DetectedPattern, lessons: readonly KeywordLesson[]): string | null {
  const lines = pattern.training.failures.length > 0 ? pattern.training.failures.map((f) => f.signature.excerpt) : [pattern.exemplar];
  for (const lesson of lessons) {
    if (lesson.status !== 'active') continue;
    for (const keyword of lesson.keywords) {
      const matched = lines.filter((line) => keywordMatches(keyword, line)).length;
      if (matched * 2 >= lines.length) return lesson.lessonId;
    }
  }
  return null;
}
