/** Reading a lesson's stream and turning decided drafts into events for the store. */
import { createHash } from 'node:crypto';
import { newEvent, type EventType } from '../../../contracts/catalogue.js';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../../contracts/envelope.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { foldLesson } from '../domain/evolve-lesson.js';
import { canonicalJson, type LessonState } from '../domain/lesson-state.js';
import { lessonStreamId, type LessonEventDraft } from '../domain/lesson-stream.js';

export interface LoadedLesson {
  state: LessonState | null;
  events: RecordedEvent[];
  /** The expectedRevision of the next append: the last event's revision, or 'no_stream'. */
  expectedRevision: bigint | 'no_stream';
}

export async function loadLesson(store: EventStore, lessonId: string): Promise<LoadedLesson> {
  const events = await store.readStream(lessonStreamId(lessonId));
  const last = events[events.length - 1];
  return { state: foldLesson(events), events, expectedRevision: last ? last.streamRevision : 'no_stream' };
}

/** The lesson as it was at `asOf`: its events up to that instant of world time (metadata.occurredAt), in stream order. */
export function lessonAsOf(events: readonly RecordedEvent[], asOf: Date): LessonState | null {
  const until = asOf.getTime();
  return foldLesson(events.filter((event) => Date.parse(event.metadata.occurredAt) <= until));
}

/** Validated events (catalogue schemas) from drafts; `eventId(draft, index)` picks each id (random by default). */
export function toNewEvents(
  drafts: readonly LessonEventDraft[],
  metadata: EventMetadata,
  eventId?: (draft: LessonEventDraft, index: number) => string,
): NewEvent[] {
  return drafts.map((draft, index) =>
    eventId
      ? newEvent(draft.type as EventType, draft.data as never, metadata, eventId(draft, index))
      : newEvent(draft.type as EventType, draft.data as never, metadata),
  );
}

/** A short digest of a draft's content, for deterministic event ids. */
export function draftDigest(draft: LessonEventDraft): string {
  return createHash('sha256').update(draft.type).update(canonicalJson(draft.data)).digest('hex').slice(0, 32);
}

