/**
 * evolve: a lesson's state after one more of its events. Pure; the aggregate, the read models and `?asOf=`
 * all fold with it, so they agree. Events are read at their current schema version (v1 data is valid v2
 * data, see contracts/lesson.ts), so the optional v2 fields are read with defaults.
 */
import type { LessonMatch } from '../../../contracts/lesson.js';
import { emptyMatch, MATCH_LISTS, type LessonState } from './lesson-state.js';
import { isLessonEventType, type LessonEventDraft } from './lesson-stream.js';

/** What evolve needs of an event: recorded events, new events and drafts with metadata all fit. */
export interface FoldableEvent {
  type: string;
  data: unknown;
  metadata: { occurredAt: string };
  /** Recorded events carry it; otherwise the state's revision + 1 is assumed. */
  streamRevision?: bigint | number;
}

/** The stream does not tell a lesson's life in an order that makes sense (a bug, or a hand-written stream). */
export class LessonStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LessonStreamError';
  }
}

/** Lessons made from v1 LessonMutated events, which did not say their category. */
export const UNKNOWN_CATEGORY = 'uncategorised';

export function evolveLesson(state: LessonState | null, event: FoldableEvent): LessonState | null {
  if (!isLessonEventType(event.type)) return state;
  const draft = event as unknown as LessonEventDraft;
  const at = event.metadata.occurredAt;
  const revision = event.streamRevision !== undefined ? Number(event.streamRevision) : (state?.revision ?? -1) + 1;

  if (draft.type === 'LessonCreated' || draft.type === 'LessonMutated') {
    if (state) throw new LessonStreamError(`${draft.type} for lesson ${state.lessonId}, which already exists`);
    return draft.type === 'LessonCreated' ? created(draft.data, at, revision) : mutated(draft.data, at, revision);
  }
  if (!state) throw new LessonStreamError(`${draft.type} for lesson ${draft.data.lessonId} before it was created`);
  const next: LessonState = { ...state, revision, updatedAt: at };
  switch (draft.type) {
    case 'LessonEdited':
      for (const [field, change] of Object.entries(draft.data.changes)) {
        if (change !== undefined) (next as unknown as Record<string, unknown>)[field] = change.to;
      }
      return next;
    case 'LessonMatchChanged':
      next.match = applyMatchChange(state.match, draft.data.added, draft.data.removed);
      return next;
    case 'LessonStatusChanged':
      next.status = draft.data.to;
      return next;
    case 'LessonMoved':
      next.path = draft.data.toPath;
      return next;
    case 'LessonDeleted':
      next.deleted = true;
      return next;
  }
}

export function foldLesson(events: readonly FoldableEvent[], initial: LessonState | null = null): LessonState | null {
  return events.reduce<LessonState | null>(evolveLesson, initial);
}

/** Removes `removed`, then appends what `added` holds and the list does not (order kept). */
export function applyMatchChange(match: LessonMatch, added: LessonMatch, removed: LessonMatch): LessonMatch {
  const out = emptyMatch();
  for (const list of MATCH_LISTS) {
    const gone = new Set(removed[list]);
    const kept = match[list].filter((entry) => !gone.has(entry));
    out[list] = [...kept, ...added[list].filter((entry) => !kept.includes(entry))];
  }
  return out;
}

function created(data: Extract<LessonEventDraft, { type: 'LessonCreated' }>['data'], at: string, revision: number): LessonState {
  return {
    lessonId: data.lessonId,
    revision,
    path: data.path ?? null,
    title: data.title,
    description: data.description ?? null,
    category: data.category,
    body: data.body,
    match: { ...emptyMatch(), ...data.match },
    status: data.status,
    targetGrade: data.targetGrade ?? null,
    confoundNote: data.confoundNote ?? null,
    extraFrontmatter: data.extraFrontmatter ?? null,
    parentLessonId: null,
    deleted: false,
    createdAt: at,
    updatedAt: at,
  };
}

function mutated(data: Extract<LessonEventDraft, { type: 'LessonMutated' }>['data'], at: string, revision: number): LessonState {
  return {
    lessonId: data.lessonId,
    revision,
    path: null,
    title: data.title,
    description: data.description ?? null,
    category: data.category ?? UNKNOWN_CATEGORY,
    body: data.body,
    match: { ...emptyMatch(), ...data.match },
    status: data.status ?? 'draft',
    targetGrade: null,
    confoundNote: null,
    extraFrontmatter: null,
    parentLessonId: data.parentLessonId,
    deleted: false,
    createdAt: at,
    updatedAt: at,
  };
}
