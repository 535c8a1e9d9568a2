/** Lesson events for specs: drafts from decide() with deterministic metadata and revisions. */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import { decideLessonChanges } from '../../../src/lessons/domain/decide-lesson.js';
import { foldLesson } from '../../../src/lessons/domain/evolve-lesson.js';
import type { CreateLesson, LessonCommand } from '../../../src/lessons/domain/lesson-commands.js';
import type { LessonState } from '../../../src/lessons/domain/lesson-state.js';
import { lessonStreamId, type LessonEventDraft } from '../../../src/lessons/domain/lesson-stream.js';

export function createCommand(over: Partial<CreateLesson> = {}): CreateLesson {
  return {
    kind: 'create',
    lessonId: 'shell-quoting',
    path: 'tools/shell-quoting.md',
    title: 'Quote Shell Paths',
    description: 'Quote paths with spaces.',
    category: 'tools',
    body: '# Quote Shell Paths\n\n## Rule\nQuote paths.',
    match: { keywords: ['path with spaces'], tools: ['shell'] },
    status: 'active',
    ...over,
  };
}

export interface SpecEvent {
  type: string;
  data: unknown;
  streamId: string;
  metadata: { occurredAt: string; source: string; actor?: string };
}

/** Decides commands one after the other on one lesson and returns its events with times a day apart. */
export function lessonHistory(lessonId: string, commands: LessonCommand[], options: { start?: string; source?: string; actor?: string } = {}): SpecEvent[] {
  const start = Date.parse(options.start ?? '2026-03-01T10:00:00.000Z');
  const events: SpecEvent[] = [];
  let state: LessonState | null = null;
  for (const command of commands) {
    const drafts: LessonEventDraft[] = decideLessonChanges(state, [command], lessonId);
    for (const draft of drafts) {
      const occurredAt = new Date(start + events.length * 86_400_000).toISOString();
      events.push({
        ...draft,
        streamId: lessonStreamId(lessonId),
        metadata: { occurredAt, source: options.source ?? 'api', ...(options.actor ? { actor: options.actor } : {}) },
      });
      state = foldLesson(events.map((e, i) => ({ ...e, streamRevision: i })));
    }
  }
  return events;
}

/** A spec event as the store would give it back (for evolve), revision = index. */
export function asRecorded(events: SpecEvent[]): Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'streamRevision'>[] {
  return events.map((e, index) => ({ type: e.type, data: e.data, metadata: e.metadata, streamRevision: BigInt(index) }));
}

/** Spec events of several lessons as the store would record them: per-stream revisions, one global order. */
export function recordedInOrder(events: SpecEvent[]): RecordedEvent[] {
  const revisions = new Map<string, bigint>();
  return events.map((event, index) => {
    const revision = revisions.get(event.streamId) ?? 0n;
    revisions.set(event.streamId, revision + 1n);
    const n = BigInt(index + 1);
    return {
      eventId: `00000000-0000-4000-8000-${(index + 1).toString(16).padStart(12, '0')}`,
      type: event.type,
      schemaVersion: 2,
      data: event.data,
      metadata: event.metadata,
      streamId: event.streamId,
      streamRevision: revision,
      position: { commit: 1n, prepare: n },
      globalPosition: n,
      recordedAt: new Date(Date.parse('2026-06-01T00:00:00.000Z') + index * 1000),
    };
  });
}
