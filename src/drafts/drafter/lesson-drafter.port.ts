/**
 * The drafter writes a draft's prose (title, rule, context) from the pattern; everything a reviewer checks
 * (frontmatter keywords, `status: draft`, the detection section, the evidence summary) is assembled around it
 * by render-lesson.ts, whichever drafter wrote the prose.
 */
import type { DetectedPattern } from '../../../projections/drafts/detect-patterns.js';
import type { ChosenKeywords } from '../domain/choose-keywords.js';

export interface DraftRequest {
  pattern: DetectedPattern;
  keywords: ChosenKeywords;
}

export interface DraftProse {
  title: string;
  /** What to do (one or two sentences). */
  rule: string;
  /** When it applies and why. */
  context: string;
}

export interface LessonDrafter {
  /** `template`, or `openai:<model>`: recorded with each draft. */
  readonly name: string;
  draft(request: DraftRequest): Promise<DraftProse>;
}

export const LESSON_DRAFTER = Symbol('LESSON_DRAFTER');
