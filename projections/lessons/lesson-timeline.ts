/**
 * `lesson-timeline`: one document per lesson with every change of its life, oldest first: which fields
 * changed from what to what, when (occurredAt), who (actor), from where (source), why (reason, decidedBy).
 * Each entry also keeps the event's data, so the lesson as of any past instant can be folded from it.
 * Behind `GET /lessons/:id/timeline` and `GET /lessons?asOf=`.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { evolveLesson } from '../../src/lessons/domain/evolve-lesson.js';
import { sameJson, type LessonState } from '../../src/lessons/domain/lesson-state.js';
import { LESSON_EVENT_TYPES } from '../../src/lessons/domain/lesson-stream.js';
import { defineDocumentProjection } from '../machinery/projection.js';

export const LESSON_TIMELINE_TABLE = 'lesson_timeline';

export interface LessonFieldChange {
  /** A LessonState field; match lists as `match.keywords`, `match.patterns`, ... */
  field: string;
  before: unknown;
  after: unknown;
}

export interface LessonTimelineEntry {
  revision: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  /** A decimal string (a bigint). */
  globalPosition: string;
  actor: string | null;
  source: string;
  reason: string | null;
  decidedBy: string | null;
  changes: LessonFieldChange[];
  data: unknown;
}

export interface LessonTimelineDoc {
  lessonId: string;
  /** The state after the last entry (to tell the next change's "before"). */
  lesson: LessonState | null;
  entries: LessonTimelineEntry[];
}

const TRACKED_FIELDS = [
  'path',
  'title',
  'description',
  'category',
  'body',
  'match.keywords',
  'match.patterns',
  'match.tools',
  'match.sessionCategories',
  'status',
  'targetGrade',
  'confoundNote',
  'extraFrontmatter',
  'parentLessonId',
  'deleted',
] as const;

function valueOf(state: LessonState | null, field: string): unknown {
  if (!state) return null;
  if (field.startsWith('match.')) return state.match[field.slice(6) as keyof LessonState['match']];
  return (state as unknown as Record<string, unknown>)[field] ?? null;
}

function isBlank(value: unknown): boolean {
  return value === null || value === false || (Array.isArray(value) && value.length === 0);
}

/** Fields whose value differs between two states; a new lesson's blank fields are left out. */
export function fieldChanges(before: LessonState | null, after: LessonState | null): LessonFieldChange[] {
  const changes: LessonFieldChange[] = [];
  for (const field of TRACKED_FIELDS) {
    const from = valueOf(before, field);
    const to = valueOf(after, field);
    if (before === null && isBlank(to)) continue;
    if (!sameJson(from, to)) changes.push({ field, before: from, after: to });
  }
  return changes;
}

export const lessonTimeline = defineDocumentProjection<LessonTimelineDoc, Record<string, never>>({
  name: 'lesson-timeline',
  version: 1,
  description: "Every change of every lesson with before/after values, time, actor, source and reason",
  oneSegmentBecause: 'a lesson\'s events are few (edits, status changes): one segment keeps up',
  eventTypes: LESSON_EVENT_TYPES,
  defaultRules: {},
  documentTable: LESSON_TIMELINE_TABLE,
  documentKeys: (event: RecordedEvent) => [(event.data as { lessonId: string }).lessonId],
  initialDocument: (key) => ({ lessonId: key, lesson: null, entries: [] }),
  evolve: (doc, event) => {
    const after = evolveLesson(doc.lesson, event);
    const data = event.data as { reason?: string; decidedBy?: string };
    const entry: LessonTimelineEntry = {
      revision: Number(event.streamRevision),
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      occurredAt: event.metadata.occurredAt,
      recordedAt: new Date(event.recordedAt).toISOString(),
      globalPosition: event.globalPosition.toString(),
      actor: event.metadata.actor ?? null,
      source: event.metadata.source,
      reason: data.reason ?? null,
      decidedBy: data.decidedBy ?? null,
      changes: fieldChanges(doc.lesson, after),
      data: event.data,
    };
    return { lessonId: doc.lessonId, lesson: after, entries: [...doc.entries, entry] };
  },
});
