/**
 * `change-timeline`: every change that can explain a shift in eval results, with when it happened (event time):
 * - lesson changes (created, edited, match changed, status changed, variant, deleted): the candidates of an
 *   experiment; each carries the lesson's keywords and category after the change (what it affects);
 * - external changes (`ExternalChangeObserved`: model-api, harness, infra, other);
 * - changes derived from outcomes: a model's harness commit differing from its previous run's
 *   (`harness-commit`), a new version string of a model family (`model-version`).
 * Documents: `lesson:<id>`, `external:<changeId>`, `model:<model>`, `family:<family>`. Which kinds confound an
 * experiment is a rule of the analysis (`projections/experiments/experiment-rules.ts`), not of this projection.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import type { ExternalChangeObservedData } from '../../contracts/external.js';
import { LESSON_CONTENT_EVENT_TYPES } from '../../contracts/lesson.js';
import { defineDocumentProjection } from '../machinery/projection.js';

export const CHANGE_TIMELINE_TABLE = 'change_timeline';

export const LESSON_CHANGE_KINDS = [
  'lesson-created',
  'lesson-edit',
  'lesson-match',
  'lesson-status',
  'lesson-deleted',
] as const;
export const CHANGE_KINDS = [
  ...LESSON_CHANGE_KINDS,
  'model-api',
  'harness',
  'infra',
  'other',
  'harness-commit',
  'model-version',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface TimelineChange {
  changeId: string;
  kind: ChangeKind;
  /** ISO instant (event time). */
  at: string;
  /** The lesson id, model, model family or external subject the change is about. */
  subject: string;
  description: string;
  lessonId?: string;
  /** Lesson changes: the lesson's keywords and category after the change. */
  keywords?: string[];
  category?: string;
  /** Changes about one model (derived ones, and external ones whose subject is a model seen in outcomes). */
  model?: string;
}

export interface ChangeTimelineDoc {
  changes: TimelineChange[];
  /** lesson docs: the lesson's current keywords and category; model docs: the last run and harness commit. */
  keywords?: string[];
  category?: string;
  lastRunId?: string;
  lastHarnessCommit?: string;
  /** family docs: the version strings seen. */
  versions?: string[];
}

export const TIMELINE_EVENT_TYPES = [
  ...LESSON_CONTENT_EVENT_TYPES,
  'ExternalChangeObserved',
  'TestOutcomeRecorded',
] as const;

let lastModel = '';
let lastFamily = '';

/**
 * `openai/gpt-4o-2024-08-06` -> `openai/gpt-4o`: a trailing date or `-v<n>`/`-<n>.<n>` version is dropped.
 * The outcomes of a run share one model: the last answer is kept for the next call.
 */
export function modelFamily(model: string): string {
  if (model !== lastModel) {
    lastFamily = model.replace(/[-@:](\d{4}-?\d{2}-?\d{2}|v\d+(\.\d+)*|\d+\.\d+(\.\d+)*|latest|preview)$/i, '');
    lastModel = model;
  }
  return lastFamily;
}

function lessonIdOf(event: RecordedEvent): string | undefined {
  const id = (event.data as { lessonId?: unknown }).lessonId;
  return typeof id === 'string' ? id : undefined;
}

function documentKeys(event: RecordedEvent): string[] {
  if (event.type === 'TestOutcomeRecorded') {
    const outcome = event.data as TestOutcomeRecordedData;
    const family = modelFamily(outcome.model);
    return family === outcome.model ? [`model:${outcome.model}`] : [`model:${outcome.model}`, `family:${family}`];
  }
  if (event.type === 'ExternalChangeObserved') return [`external:${(event.data as ExternalChangeObservedData).changeId}`];
  const lessonId = lessonIdOf(event);
  return lessonId ? [`lesson:${lessonId}`] : [];
}

function evolve(doc: ChangeTimelineDoc, event: RecordedEvent, key: string): ChangeTimelineDoc {
  const at = event.metadata.occurredAt;
  if (event.type === 'TestOutcomeRecorded') return evolveFromOutcome(doc, event.data as TestOutcomeRecordedData, at, key);
  if (event.type === 'ExternalChangeObserved') {
    const data = event.data as ExternalChangeObservedData;
    const change: TimelineChange = { changeId: data.changeId, kind: data.kind, at, subject: data.subject, description: data.description };
    if (data.kind === 'model-api') change.model = data.subject;
    return { changes: [change] };
  }
  return evolveLesson(doc, event, at);
}

function evolveFromOutcome(
  doc: ChangeTimelineDoc,
  outcome: TestOutcomeRecordedData,
  at: string,
  key: string,
): ChangeTimelineDoc {
  if (key.startsWith('family:')) {
    const versions = doc.versions ?? [];
    if (versions.includes(outcome.model)) return doc;
    const changes = versions.length === 0
      ? doc.changes
      : [...doc.changes, {
          changeId: `model-version:${outcome.model}`,
          kind: 'model-version' as const,
          at,
          subject: key.slice('family:'.length),
          model: outcome.model,
          description: `new version ${outcome.model} (after ${versions.join(', ')})`,
        }];
    return { ...doc, versions: [...versions, outcome.model], changes };
  }
  if (doc.lastRunId === outcome.runId || outcome.harnessCommit === undefined) {
    return doc.lastRunId === outcome.runId ? doc : { ...doc, lastRunId: outcome.runId };
  }
  const previous = doc.lastHarnessCommit;
  const next: ChangeTimelineDoc = { ...doc, lastRunId: outcome.runId, lastHarnessCommit: outcome.harnessCommit };
  if (previous !== undefined && previous !== outcome.harnessCommit) {
    next.changes = [...doc.changes, {
      changeId: `harness-commit:${outcome.model}:${outcome.runId}`,
      kind: 'harness-commit',
      at,
      subject: outcome.model,
      model: outcome.model,
      description: `harness ${previous} -> ${outcome.harnessCommit}`,
    }];
  }
  return next;
}

interface LessonEventFields {
  lessonId: string;
  category?: string;
  match?: { keywords?: string[] };
  added?: { keywords?: string[] };
  removed?: { keywords?: string[] };
  changes?: { category?: { to: string }; title?: unknown };
  from?: string;
  to?: string;
  reason?: string;
  title?: string;
}

function evolveLesson(doc: ChangeTimelineDoc, event: RecordedEvent, at: string): ChangeTimelineDoc {
  const data = event.data as LessonEventFields;
  let keywords = doc.keywords ?? [];
  let category = doc.category ?? 'uncategorised';
  let kind: ChangeKind;
  let description: string;
  switch (event.type) {
    case 'LessonCreated':
    case 'LessonMutated':
      keywords = [...(data.match?.keywords ?? [])];
      category = data.category ?? category;
      kind = 'lesson-created';
      description = `${event.type === 'LessonMutated' ? 'variant' : 'created'}: ${data.title ?? data.lessonId}`;
      break;
    case 'LessonEdited':
      category = data.changes?.category?.to ?? category;
      kind = 'lesson-edit';
      description = `edited ${Object.keys(data.changes ?? {}).join(', ')}`;
      break;
    case 'LessonMatchChanged': {
      const removed = new Set(data.removed?.keywords ?? []);
      keywords = [...keywords.filter((k) => !removed.has(k)), ...(data.added?.keywords ?? []).filter((k) => !keywords.includes(k))];
      kind = 'lesson-match';
      description = 'match changed';
      break;
    }
    case 'LessonStatusChanged':
      kind = 'lesson-status';
      description = `status ${data.from} -> ${data.to}`;
      break;
    default:
      kind = 'lesson-deleted';
      description = 'deleted';
  }
  if (data.reason) description += ` (${data.reason})`;
  const change: TimelineChange = {
    changeId: event.eventId,
    kind,
    at,
    subject: data.lessonId,
    description,
    lessonId: data.lessonId,
    keywords,
    category,
  };
  return { ...doc, keywords, category, changes: [...doc.changes, change] };
}

export const changeTimeline = defineDocumentProjection<ChangeTimelineDoc, Record<string, never>>({
  name: 'change-timeline',
  version: 1,
  description: 'Lesson, external and derived (harness commit, model version) changes with their event time',
  oneSegmentBecause:
    'an outcome can change a model\'s document and its family\'s (two keys), and new versions are found by comparing with earlier outcomes of the family',
  eventTypes: TIMELINE_EVENT_TYPES,
  defaultRules: {},
  documentTable: CHANGE_TIMELINE_TABLE,
  documentKeys,
  initialDocument: () => ({ changes: [] }),
  evolve: (doc, event, _rules, key) => evolve(doc, event, key),
});

/** Every change of the documents, oldest first (ties by id, so the order never depends on storage). */
export function timelineOf(docs: Iterable<ChangeTimelineDoc>): TimelineChange[] {
  const all: TimelineChange[] = [];
  for (const doc of docs) all.push(...doc.changes);
  return all.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.changeId < b.changeId ? -1 : a.changeId > b.changeId ? 1 : 0));
}
