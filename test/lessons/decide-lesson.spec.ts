import { validateNewEvent } from '../../contracts/catalogue.js';
import { decideLesson, decideLessonChanges } from '../../src/lessons/domain/decide-lesson.js';
import { applyMatchChange, evolveLesson, foldLesson, LessonStreamError } from '../../src/lessons/domain/evolve-lesson.js';
import { LessonAlreadyExistsError, LessonNotFoundError, LessonRejectedError } from '../../src/lessons/domain/lesson-errors.js';
import type { LessonState } from '../../src/lessons/domain/lesson-state.js';
import { asRecorded, createCommand, lessonHistory } from './support/lesson-events.js';

const at = { occurredAt: '2026-03-01T10:00:00.000Z' };

function created(over = {}): LessonState {
  const [draft] = decideLesson(null, createCommand(over), 'shell-quoting');
  return evolveLesson(null, { ...draft!, metadata: at, streamRevision: 0n })!;
}

function rejection(fn: () => unknown): LessonRejectedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LessonRejectedError) return error;
    throw error;
  }
  throw new Error('expected a LessonRejectedError');
}

describe('lesson aggregate: decide', () => {
  it('create gives LessonCreated, valid for the catalogue, status active by default', () => {
    const drafts = decideLesson(null, createCommand({ status: undefined, reason: 'first version' }), 'shell-quoting');
    expect(drafts).toEqual([
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
    expect(() => validateNewEvent({ eventId: '00000000-0000-4000-8000-000000000001', schemaVersion: 2, metadata: { occurredAt: at.occurredAt, source: 'test' }, ...drafts[0]! })).not.toThrow();
  });

  it('create on an existing lesson, and anything on a missing one, is refused', () => {
    expect(() => decideLesson(created(), createCommand())).toThrow(LessonAlreadyExistsError);
    expect(() => decideLesson(null, { kind: 'edit', changes: { title: 'x' } }, 'nope')).toThrow(LessonNotFoundError);
  });

  it('edit records only the fields that change, with from and to', () => {
    const state = created();
    const [draft] = decideLesson(state, { kind: 'edit', changes: { title: 'Quote Paths', category: 'tools', confoundNote: 'fires late' }, reason: 'clearer' });
    expect(draft).toEqual({
      type: 'LessonEdited',
      data: {
        lessonId: 'shell-quoting',
        changes: { title: { from: 'Quote Shell Paths', to: 'Quote Paths' }, confoundNote: { from: null, to: 'fires late' } },
        reason: 'clearer',
      },
    });
  });

  it('change-match adds and removes entries; decidedBy defaults to human', () => {
    const [draft] = decideLesson(created(), { kind: 'change-match', add: { keywords: ['spaces in path'] }, remove: { tools: ['shell'] } });
    expect(draft!.data).toMatchObject({
      added: { keywords: ['spaces in path'], patterns: [], tools: [], sessionCategories: [] },
      removed: { keywords: [], patterns: [], tools: ['shell'], sessionCategories: [] },
      decidedBy: 'human',
    });
  });

  it('change-status records from, to, reason and who decided', () => {
    const [draft] = decideLesson(created(), { kind: 'change-status', to: 'archived', reason: 'low pass rate', decidedBy: 'policy', ruleSetId: 'rs-1' });
    expect(draft).toEqual({
      type: 'LessonStatusChanged',
      data: { lessonId: 'shell-quoting', from: 'active', to: 'archived', reason: 'low pass rate', decidedBy: 'policy', ruleSetId: 'rs-1' },
    });
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
    expect(rejection(() => decideLesson(created(), command as never)).problems).toEqual(problems);
  });

  it('archiving an archived lesson is refused', () => {
    const archived = created({ status: 'archived' });
    expect(rejection(() => decideLesson(archived, { kind: 'change-status', to: 'archived', reason: 'again' })).problems).toEqual([
      { field: 'status', reason: 'lesson shell-quoting is already archived' },
    ]);
  });

  it('a deleted lesson takes no more commands', () => {
    const events = lessonHistory('l', [createCommand({ lessonId: 'l' }), { kind: 'delete', reason: 'gone' }]);
    const state = foldLesson(asRecorded(events))!;
    expect(state.deleted).toBe(true);
    expect(rejection(() => decideLesson(state, { kind: 'edit', changes: { title: 'x' } })).problems).toEqual([{ field: null, reason: 'lesson l was deleted' }]);
  });

  it('mutate makes a variant from the parent: its category and description, status draft, overrides applied', () => {
    const [draft] = decideLesson(created(), { kind: 'mutate', variantId: 'shell-quoting-v2', title: 'Quote Every Path', reason: 'shorter rule' });
    expect(draft).toEqual({
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
    });
    const variant = evolveLesson(null, { ...draft!, metadata: at })!;
    expect(variant).toMatchObject({ lessonId: 'shell-quoting-v2', parentLessonId: 'shell-quoting', status: 'draft', category: 'tools', path: null });
  });

  it('several commands decide on the state the previous ones leave, all or nothing', () => {
    const state = created();
    const drafts = decideLessonChanges(state, [
      { kind: 'edit', changes: { title: 'New' } },
      { kind: 'change-status', to: 'deprecated', reason: 'superseded' },
    ]);
    expect(drafts.map((d) => d.type)).toEqual(['LessonEdited', 'LessonStatusChanged']);
    expect(() =>
      decideLessonChanges(state, [
        { kind: 'change-status', to: 'archived', reason: 'a' },
        { kind: 'change-status', to: 'archived', reason: 'b' },
      ]),
    ).toThrow(LessonRejectedError);
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
