/** What can be asked of a lesson. Values are as a caller sent them: decide() checks them. */
import type { Decider, Evidence } from '../../../contracts/evidence.js';
import type { TargetGrade } from '../../../contracts/lesson.js';
import type { JsonObject, LessonState, MatchList } from './lesson-state.js';

export type MatchLists = Partial<Record<MatchList, readonly string[]>>;

export interface CreateLesson {
  kind: 'create';
  lessonId: string;
  path?: string;
  title: string;
  description?: string;
  category: string;
  body: string;
  match?: MatchLists;
  /** Default `active`, as gptme reads a lesson without a status. */
  status?: string;
  targetGrade?: TargetGrade;
  confoundNote?: string;
  extraFrontmatter?: JsonObject;
  reason?: string;
}

/** A field left out stays as it is; null clears an optional field. */
export interface EditLesson {
  kind: 'edit';
  changes: {
    title?: string;
    description?: string | null;
    body?: string;
    category?: string;
    targetGrade?: TargetGrade | null;
    confoundNote?: string | null;
    extraFrontmatter?: JsonObject | null;
  };
  reason?: string;
}

export interface ChangeLessonMatch {
  kind: 'change-match';
  add?: MatchLists;
  remove?: MatchLists;
  /** Default `human`. */
  decidedBy?: Decider;
  ruleSetId?: string;
  evidence?: Evidence;
  reason?: string;
}

export interface ChangeLessonStatus {
  kind: 'change-status';
  /** Any string: an unknown status is refused with the list of known ones. */
  to: string;
  reason: string;
  /** Default `human`. */
  decidedBy?: Decider;
  ruleSetId?: string;
  ruleSetVersion?: number;
  evidence?: Evidence;
}

/** Decided on the parent's state; the event starts the variant's own stream. */
export interface MutateLesson {
  kind: 'mutate';
  variantId: string;
  /** Each defaults to the parent's. */
  title?: string;
  body?: string;
  match?: MatchLists;
  /** Default `draft`: a variant is tried before it replaces anything. */
  status?: string;
  reason: string;
}

export interface MoveLesson {
  kind: 'move';
  toPath: string;
  reason?: string;
}

export interface DeleteLesson {
  kind: 'delete';
  reason: string;
}

export type LessonCommand = CreateLesson | EditLesson | ChangeLessonMatch | ChangeLessonStatus | MutateLesson | MoveLesson | DeleteLesson;

/**
 * What a writer asks of a lesson's stream (lessonDecider): a new lesson, some commands applied together at
 * the revision the caller read (`expectedRevision`; absent: whatever is current), or a variant of `parent`
 * (read by the caller from the parent's stream) started in its own stream.
 */
export interface ChangeLesson {
  kind: 'change';
  lessonId: string;
  expectedRevision?: number;
  commands: readonly LessonCommand[];
}

export interface MakeVariant {
  kind: 'make-variant';
  parentId: string;
  parent: LessonState | null;
  mutate: MutateLesson;
}

export type LessonWrite = CreateLesson | ChangeLesson | MakeVariant;
