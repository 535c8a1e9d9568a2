import { lessonCatalogue } from '../../projections/lessons/lesson-catalogue.js';
import { lessonKeywordIndex } from '../../projections/lessons/lesson-keyword-index.js';
import { lessonTimeline, type LessonTimelineDoc } from '../../projections/lessons/lesson-timeline.js';
import { given } from '../../projections/machinery/testing.js';
import { foldLesson } from '../../src/lessons/domain/evolve-lesson.js';
import { createCommand, lessonHistory, recordedInOrder } from './support/lesson-events.js';

const quoting = lessonHistory(
  'quoting',
  [
    createCommand({ lessonId: 'quoting', reason: 'imported' }),
    { kind: 'change-match', add: { keywords: ['Spaces In Path'] }, remove: { tools: ['shell'] }, reason: 'more precise' },
    { kind: 'change-status', to: 'archived', reason: 'low pass rate', decidedBy: 'policy' },
  ],
  { actor: 'alice', source: 'git:abc' },
);
const commits = lessonHistory(
  'commits',
  [
    createCommand({ lessonId: 'commits', path: 'workflow/commits.md', title: 'Commits', category: 'workflow', match: { keywords: ['path with spaces', 'commit'], tools: ['shell'] } }),
    { kind: 'edit', changes: { title: 'Commit Messages' } },
    { kind: 'delete', reason: 'merged into git.md' },
  ],
  { start: '2026-03-01T12:00:00.000Z' },
);
const events = recordedInOrder([quoting[0]!, commits[0]!, quoting[1]!, commits[1]!, quoting[2]!, commits[2]!]);

describe('lesson-catalogue projection', () => {
  it('holds every lesson folded like the aggregate, deleted ones marked', () => {
    const then = given(lessonCatalogue, events);
    expect(Object.keys(then.documents)).toEqual(['commits', 'quoting']);
    expect(then.document('quoting')).toEqual(foldLesson(events.filter((e) => e.streamId === 'lesson-quoting')));
    expect(then.document('quoting')).toMatchObject({
      revision: 2,
      status: 'archived',
      match: { keywords: ['path with spaces', 'Spaces In Path'], tools: [] },
      updatedAt: '2026-03-03T10:00:00.000Z',
    });
    expect(then.document('commits')).toMatchObject({ title: 'Commit Messages', deleted: true, revision: 2 });
  });
});

describe('lesson-timeline projection', () => {
  it('lists every change with before/after values, time, actor, source and reason', () => {
    const doc = given(lessonTimeline, events).document('quoting') as LessonTimelineDoc;
    expect(doc.entries.map((e) => [e.revision, e.type, e.occurredAt, e.actor, e.source, e.reason, e.decidedBy])).toEqual([
      [0, 'LessonCreated', '2026-03-01T10:00:00.000Z', 'alice', 'git:abc', 'imported', null],
      [1, 'LessonMatchChanged', '2026-03-02T10:00:00.000Z', 'alice', 'git:abc', 'more precise', 'human'],
      [2, 'LessonStatusChanged', '2026-03-03T10:00:00.000Z', 'alice', 'git:abc', 'low pass rate', 'policy'],
    ]);
    expect(doc.entries[1]!.changes).toEqual([
      { field: 'match.keywords', before: ['path with spaces'], after: ['path with spaces', 'Spaces In Path'] },
      { field: 'match.tools', before: ['shell'], after: [] },
    ]);
    expect(doc.entries[2]!.changes).toEqual([{ field: 'status', before: 'active', after: 'archived' }]);
    expect(doc.entries[0]!.changes.map((c) => c.field)).toEqual(['path', 'title', 'description', 'category', 'body', 'match.keywords', 'match.tools', 'status']);
    expect(doc.entries[0]!.changes.every((c) => c.before === null)).toBe(true);
    expect(doc.entries[2]).toMatchObject({ eventId: events[4]!.eventId, globalPosition: '5', recordedAt: '2026-06-01T00:00:04.000Z' });
  });

  it('keeps each event data so any past state can be folded back', () => {
    const doc = given(lessonTimeline, events).document('commits') as LessonTimelineDoc;
    const replayed = foldLesson(doc.entries.slice(0, 2).map((e) => ({ type: e.type, data: e.data, metadata: { occurredAt: e.occurredAt }, streamRevision: e.revision })));
    expect(replayed).toMatchObject({ title: 'Commit Messages', deleted: false });
    expect(doc.entries[2]!.changes).toEqual([{ field: 'deleted', before: false, after: true }]);
    expect(doc.lesson).toMatchObject({ deleted: true });
  });
});

describe('lesson-keyword-index projection', () => {
  it('maps each term to the lessons holding it; keywords case-insensitively, removals drop the lesson', () => {
    const then = given(lessonKeywordIndex, events);
    expect(Object.keys(then.documents)).toEqual(['keyword:commit', 'keyword:path with spaces', 'keyword:spaces in path', 'tool:shell']);
    expect(then.document('keyword:path with spaces')).toEqual({
      kind: 'keyword',
      term: 'path with spaces',
      lessons: { commits: ['path with spaces'], quoting: ['path with spaces'] },
    });
    expect(then.document('keyword:spaces in path')).toEqual({ kind: 'keyword', term: 'spaces in path', lessons: { quoting: ['Spaces In Path'] } });
    // quoting dropped the shell tool; commits still holds it
    expect(then.document('tool:shell')).toEqual({ kind: 'tool', term: 'shell', lessons: { commits: ['shell'] } });
  });

  it('deletes a term document when its last lesson drops it', () => {
    const only = recordedInOrder(
      lessonHistory('x', [createCommand({ lessonId: 'x', match: { patterns: ['a+'] } }), { kind: 'change-match', remove: { patterns: ['a+'] }, add: { keywords: ['b'] } }]),
    );
    const then = given(lessonKeywordIndex, only);
    expect(Object.keys(then.documents)).toEqual(['keyword:b']);
  });
});
