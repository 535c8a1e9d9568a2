/**
 * The policy's view of each lesson, folded from the lesson's own events (created, mutated, edited, keywords,
 * status, deleted, flagged): what the rules look at (status, category, exemptions, keywords).
 */
import type { LessonFlaggedForMutationData } from '../../../contracts/bandit.js';
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type {
  LessonCreatedData,
  LessonDeletedData,
  LessonEditedData,
  LessonMatchChangedData,
  LessonMutatedData,
  LessonStatusChangedData,
  LessonStatus,
} from '../../../contracts/lesson.js';
import type { BanditRules } from '../../../projections/bandit/bandit-rules.js';
import { lessonSections } from '../../lessons/domain/lesson-sections.js';
import { detectionKeywords, type PolicyLessonView } from './decide-policy.js';

interface LessonViews {
  lessons: Record<string, PolicyLessonView>;
}

/** The lesson's view, replaced by a copy its caller may change. */
export function ownLesson(state: LessonViews, lessonId: string): PolicyLessonView | undefined {
  const lesson = state.lessons[lessonId];
  if (!lesson) return undefined;
  const own: PolicyLessonView = {
    ...lesson,
    keywords: [...lesson.keywords],
    detectionKeywords: [...lesson.detectionKeywords],
    ...(lesson.mutationFlags ? { mutationFlags: [...lesson.mutationFlags] } : {}),
  };
  state.lessons[lessonId] = own;
  return own;
}

export function applyLessonEvent(state: LessonViews, event: RecordedEvent, rules: BanditRules): void {
  switch (event.type) {
    case 'LessonCreated': {
      const data = event.data as LessonCreatedData;
      state.lessons[data.lessonId] = {
        status: data.status,
        category: data.category,
        hasConfoundNote: Boolean(data.confoundNote),
        flaggedExempt: Boolean(data.extraFrontmatter?.[rules.exemptFlag]),
        keywords: [...data.match.keywords],
        detectionKeywords: detectionKeywords(lessonSections(data.body).detection),
      };
      return;
    }
    case 'LessonMutated': {
      const data = event.data as LessonMutatedData;
      const parent = state.lessons[data.parentLessonId];
      state.lessons[data.lessonId] = {
        status: (data.status ?? 'draft') as LessonStatus,
        category: data.category ?? parent?.category ?? 'uncategorised',
        hasConfoundNote: false,
        flaggedExempt: false,
        keywords: [...data.match.keywords],
        detectionKeywords: detectionKeywords(lessonSections(data.body).detection),
      };
      return;
    }
    case 'LessonEdited': {
      const data = event.data as LessonEditedData;
      const lesson = ownLesson(state, data.lessonId);
      if (!lesson) return;
      const { changes } = data;
      if (changes.category) lesson.category = changes.category.to;
      if (changes.confoundNote) lesson.hasConfoundNote = changes.confoundNote.to !== null;
      if (changes.extraFrontmatter) lesson.flaggedExempt = Boolean(changes.extraFrontmatter.to?.[rules.exemptFlag]);
      if (changes.body) lesson.detectionKeywords = detectionKeywords(lessonSections(changes.body.to).detection);
      return;
    }
    case 'LessonMatchChanged': {
      const data = event.data as LessonMatchChangedData;
      const lesson = ownLesson(state, data.lessonId);
      if (!lesson) return;
      const kept = lesson.keywords.filter((k) => !data.removed.keywords.includes(k));
      lesson.keywords = [...kept, ...data.added.keywords.filter((k) => !kept.includes(k))];
      return;
    }
    case 'LessonStatusChanged': {
      const data = event.data as LessonStatusChangedData;
      const lesson = ownLesson(state, data.lessonId);
      if (lesson) lesson.status = data.to;
      return;
    }
    case 'LessonDeleted': {
      delete state.lessons[(event.data as LessonDeletedData).lessonId];
      return;
    }
    case 'LessonFlaggedForMutation': {
      // A flag recorded under this rule set version counts as taken (also when this fold did not take it
      // itself). Another version's flag does not: each version decides its own flag once (its id says so),
      // whether that version's trigger comes before or after the other version's flag in the log.
      const data = event.data as LessonFlaggedForMutationData;
      const known = state.lessons[data.lessonId];
      if (!known || data.ruleSetId !== rules.ruleSetId || data.ruleSetVersion !== rules.ruleSetVersion) return;
      if ((known.mutationFlags ?? []).includes(data.reason)) return;
      const lesson = ownLesson(state, data.lessonId)!;
      (lesson.mutationFlags ??= []).push(data.reason);
      return;
    }
  }
}
