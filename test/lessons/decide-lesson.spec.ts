import { validateNewEvent } from '../../contracts/catalogue.js';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { applyMatchChange, evolveLesson, foldLesson, LessonStreamError } from '../../src/lessons/domain/evolve-lesson.js';
import type { ChangeLesson, CreateLesson, LessonCommand, MutateLesson } from '../../src/lessons/domain/lesson-commands.js';
import { lessonDecider } from '../../src/lessons/domain/lesson-decider.js';
import { LessonAlreadyExistsError, LessonNotFoundError, LessonRejectedError, LessonRevisionConflictError } from '../../src/lessons/domain/lesson-errors.js';
import type { LessonState } from '../../src/lessons/domain/lesson-state.js';
import { deciderSpec } from '../support/decider-spec.js';
import { asRecorded, createCommand, lessonHistory } from './support/lesson-events.js';

const at = { occurredAt: '2026-03-01T10:00:00.000Z' };
const lesson = deciderSpec(lessonDecider);

/** The stream of a lesson created with createCommand(over). */
function createdStream(over: Partial<CreateLesson> = {}) {
  return lessonHistory(over.lessonId ?? 'shell-quoting', [createCommand(over)]);
}

function created(over: Partial<CreateLesson> = {}): LessonState {
  return lesson.given(createdStream(over)).when(createCommand()).state()!;
}

function change(...commands: LessonCommand[]): ChangeLesson {
  return { kind: 'change', lessonId: 'shell-quoting', commands };
}

function variant(mutate: Omit<MutateLesson, 'kind'>, parent: LessonState | null = created()) {
  return { kind: 'make-variant' as const, parentId: 'shell-quoting', parent, mutate: { kind: 'mutate' as const, ...mutate } };
}

describe('lesson aggregate: decide (given events, when a command, then events or a refusal)', () => {
  it('create gives LessonCreated, valid for the catalogue, status active by default', () => {
    const decided = lesson
      .given([])
      .when(createCommand({ status: undefined, reason: 'first version' }))
      .then([
        {
          type: 'LessonCreated',
          data: {
            lessonId: 'shell-quoting',
            path: 'tools/shell-quoting.md',
            title: 'Quote Shell Paths',
            description: 'Quote paths with spaces.',
            category: 'tools',
            body: '# Quote Shell Paths\n\n## Rule\nQuote paths.',
            match: { keywords: ['path with spaces'], patterns: [], tools: ['shell'], sessionCategories: [] },
            status: 'active',
            reason: 'first version',
          },
        },
      ]);
    expect(() => validateNewEvent({ eventId: '00000000-0000-4000-8000-000000000001', schemaVersion: 2, metadata: { occurredAt: at.occurredAt, source: 'test' }, ...decided[0]! })).not.toThrow();
  });

  it('create on an existing lesson, and a change of a missing one, is refused', () => {
    lesson.given(createdStream()).when(createCommand()).thenThrows(LessonAlreadyExistsError, { lessonId: 'shell-quoting' });
    lesson.given([]).when({ kind: 'change', lessonId: 'nope', commands: [{ kind: 'edit', changes: { title: 'x' } }] }).thenThrows(LessonNotFoundError, { lessonId: 'nope' });
  });

  it('a change made at another revision than the stream is at is refused with the current revision', () => {
    const edited = lessonHistory('shell-quoting', [createCommand(), { kind: 'edit', changes: { title: 'Once' } }]);
    lesson
      .given(edited)
      .when({ ...change({ kind: 'edit', changes: { title: 'Twice' } }), expectedRevision: 0 })
      .thenThrows(LessonRevisionConflictError, { lessonId: 'shell-quoting', expectedRevision: 0, currentRevision: 1 });
    lesson.given(edited).when({ ...change({ kind: 'edit', changes: { title: 'Twice' } }), expectedRevision: 1 }).thenMatches([{ type: 'LessonEdited' }]);
  });

  it('edit records only the fields that change, with from and to', () => {
    lesson
      .given(createdStream())
      .when(change({ kind: 'edit', changes: { title: 'Quote Paths', category: 'tools', confoundNote: 'fires late' }, reason: 'clearer' }))
      .then([
        {
          type: 'LessonEdited',
          data: {
            lessonId: 'shell-quoting',
            changes: { title: { from: 'Quote Shell Paths', to: 'Quote Paths' }, confoundNote: { from: null, to: 'fires late' } },
            reason: 'clearer',
          },
        },
      ]);
  });

  it('change-match adds and removes entries; decidedBy defaults to human', () => {
    lesson
      .given(createdStream())
      .when(change({ kind: 'change-match', add: { keywords: ['spaces in path'] }, remove: { tools: ['shell'] } }))
      .thenMatches([
        {
          type: 'LessonMatchChanged',
          data: {
            lessonId: 'shell-quoting',
            added: { keywords: ['spaces in path'], patterns: [], tools: [], sessionCategories: [] },
            removed: { keywords: [], patterns: [], tools: ['shell'], sessionCategories: [] },
            decidedBy: 'human',
          },
        },
      ]);
  });

  it('change-status records from, to, reason and who decided', () => {
    lesson
      .given(createdStream())
      .when(change({ kind: 'change-status', to: 'archived', reason: 'low pass rate', decidedBy: 'policy', ruleSetId: 'rs-1' }))
      .then([
        {
          type: 'LessonStatusChanged',
          data: { lessonId: 'shell-quoting', from: 'active', to: 'archived', reason: 'low pass rate', decidedBy: 'policy', ruleSetId: 'rs-1' },
        },
      ]);
  });

  it.each([
    ['an empty keyword', { kind: 'change-match', add: { keywords: ['ok', '  '] } }, [{ field: 'match.add.keywords[1]', reason: 'an empty keyword never matches anything' }]],
    ['a keyword already there', { kind: 'change-match', add: { keywords: ['path with spaces'] } }, [{ field: 'match.add.keywords', reason: '"path with spaces" is already in keywords' }]],
    ['removing what is not there', { kind: 'change-match', remove: { patterns: ['x+'] } }, [{ field: 'match.remove.patterns', reason: '"x+" is not in patterns' }]],
    ['an empty match change', { kind: 'change-match' }, [{ field: 'match', reason: 'nothing to add or remove' }]],
    ['an unknown status', { kind: 'change-status', to: 'retired', reason: 'r' }, [{ field: 'status', reason: 'unknown status "retired" (known: draft, active, automated, deprecated, archived)' }]],
    ['a status change without reason', { kind: 'change-status', to: 'deprecated', reason: '' }, [{ field: 'reason', reason: 'must not be empty' }]],
    ['an edit changing nothing', { kind: 'edit', changes: { title: 'Quote Shell Paths' } }, [{ field: 'changes', reason: 'nothing to change: every given field already has that value' }]],
    ['an empty title', { kind: 'edit', changes: { title: ' ' } }, [{ field: 'title', reason: 'must not be empty' }]],
  ] as const)('refuses %s with the reason', (_name, command, problems) => {
    lesson.given(createdStream()).when(change(command as never)).thenThrows(LessonRejectedError, { problems: problems as never });
  });

  it('archiving an archived lesson is refused', () => {
    lesson
      .given(createdStream({ status: 'archived' }))
      .when(change({ kind: 'change-status', to: 'archived', reason: 'again' }))
      .thenThrows(LessonRejectedError, { problems: [{ field: 'status', reason: 'lesson shell-quoting is already archived' }] });
  });

  it('a deleted lesson takes no more commands', () => {
    const events = lessonHistory('l', [createCommand({ lessonId: 'l' }), { kind: 'delete', reason: 'gone' }]);
    expect(foldLesson(asRecorded(events))!.deleted).toBe(true);
    lesson
      .given(events)
      .when({ kind: 'change', lessonId: 'l', commands: [{ kind: 'edit', changes: { title: 'x' } }] })
      .thenThrows(LessonRejectedError, { problems: [{ field: null, reason: 'lesson l was deleted' }] });
  });

  it('mutate makes a variant from the parent: its category and description, status draft, overrides applied', () => {
    const [draft] = lesson
      .given([])
      .when(variant({ variantId: 'shell-quoting-v2', title: 'Quote Every Path', reason: 'shorter rule' }))
      .then([
        {
          type: 'LessonMutated',
          data: {
            lessonId: 'shell-quoting-v2',
            parentLessonId: 'shell-quoting',
            title: 'Quote Every Path',
            body: '# Quote Shell Paths\n\n## Rule\nQuote paths.',
            match: { keywords: ['path with spaces'], patterns: [], tools: ['shell'], sessionCategories: [] },
            reason: 'shorter rule',
            category: 'tools',
            description: 'Quote paths with spaces.',
            status: 'draft',
          },
        },
      ]);
    const made = evolveLesson(null, { ...draft!, metadata: at })!;
    expect(made).toMatchObject({ lessonId: 'shell-quoting-v2', parentLessonId: 'shell-quoting', status: 'draft', category: 'tools', path: null });
  });

  it('a variant is refused when its id is taken, and when the parent is missing (said first)', () => {
    const taken = lessonHistory('shell-quoting-v2', [createCommand({ lessonId: 'shell-quoting-v2' })]);
    lesson.given(taken).when(variant({ variantId: 'shell-quoting-v2', reason: 'again' })).thenThrows(LessonAlreadyExistsError, { lessonId: 'shell-quoting-v2' });
    lesson.given(taken).when(variant({ variantId: 'shell-quoting-v2', reason: 'again' }, null)).thenThrows(LessonNotFoundError, { lessonId: 'shell-quoting' });
  });

  it('several commands decide on the state the previous ones leave, all or nothing', () => {
    lesson
      .given(createdStream())
      .when(change({ kind: 'edit', changes: { title: 'New' } }, { kind: 'change-status', to: 'deprecated', reason: 'superseded' }))
      .thenMatches([{ type: 'LessonEdited' }, { type: 'LessonStatusChanged' }]);
    lesson
      .given(createdStream())
      .when(change({ kind: 'change-status', to: 'archived', reason: 'a' }, { kind: 'change-status', to: 'archived', reason: 'b' }))
      .thenThrows(LessonRejectedError);
  });

  it('decideLesson, which the importers use, refuses a command for a missing lesson naming it', () => {
    expect(() => decideLesson(null, { kind: 'edit', changes: { title: 'x' } }, 'nope')).toThrow(LessonNotFoundError);
  });
});

describe('lesson aggregate: evolve', () => {
  it('folds a whole life: create, edit, match, status, move, delete; revision and times follow the events', () => {
    const events = lessonHistory('l', [
      createCommand({ lessonId: 'l' }),
      { kind: 'edit', changes: { description: null, targetGrade: ['harm'] } },
      { kind: 'change-match', add: { keywords: ['spaces'], patterns: ['\\s+'] }, remove: { keywords: ['path with spaces'] } },
      { kind: 'change-status', to: 'archived', reason: 'not needed' },
      { kind: 'move', toPath: 'shell/quoting.md' },
      { kind: 'delete', reason: 'file removed' },
    ]);
    const state = foldLesson(asRecorded(events))!;
    expect(state).toMatchObject({
      lessonId: 'l',
      revision: 5,
      path: 'shell/quoting.md',
      description: null,
      targetGrade: ['harm'],
      match: { keywords: ['spaces'], patterns: ['\\s+'], tools: ['shell'], sessionCategories: [] },
      status: 'archived',
      deleted: true,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-06T10:00:00.000Z',
    });
  });

  it('refuses streams out of order', () => {
    expect(() => evolveLesson(null, { type: 'LessonEdited', data: { lessonId: 'x', changes: {} }, metadata: at })).toThrow(LessonStreamError);
    expect(() => evolveLesson(created(), { type: 'LessonCreated', data: createCommand(), metadata: at })).toThrow(LessonStreamError);
  });

  it('ignores events of other types', () => {
    const state = created();
    expect(evolveLesson(state, { type: 'TestOutcomeRecorded', data: {}, metadata: at })).toBe(state);
  });

  it('reads v1 variants (no category, no status) as uncategorised drafts', () => {
    const v1 = { lessonId: 'v', parentLessonId: 'p', title: 'T', body: 'B', match: { keywords: [], patterns: [], tools: [], sessionCategories: [] }, reason: 'r' };
    expect(evolveLesson(null, { type: 'LessonMutated', data: v1, metadata: at })).toMatchObject({ category: 'uncategorised', status: 'draft' });
  });

  it('match changes remove first, then add without duplicates, keeping order', () => {
    const base = { keywords: ['a', 'b', 'c'], patterns: [], tools: [], sessionCategories: [] };
    expect(applyMatchChange(base, { ...base, keywords: ['d', 'a'] }, { ...base, keywords: ['b'] }).keywords).toEqual(['a', 'c', 'd']);
  });
});
