import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { changeLesson } from '../../src/lessons/commands/change-lesson.command.js';
import { createLesson } from '../../src/lessons/commands/create-lesson.command.js';
import { mutateLesson } from '../../src/lessons/commands/mutate-lesson.command.js';
import { LessonAlreadyExistsError, LessonNotFoundError, LessonRejectedError, LessonRevisionConflictError } from '../../src/lessons/domain/lesson-errors.js';
import { loadLesson } from '../../src/lessons/store/lesson-events.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createCommand } from './support/lesson-events.js';

const meta = { occurredAt: '2026-04-01T00:00:00.000Z', source: 'test' };

/** Holds every append until `count` of them are waiting: the writers have all read the stream by then. */
function appendsMeetingAt(store: EventStore, count: number): EventStore {
  const waiting: (() => void)[] = [];
  return {
    ...store,
    kind: store.kind,
    readStream: (...args) => store.readStream(...args),
    async appendToStream(...args) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === count) waiting.splice(0).forEach((release) => release());
      });
      return store.appendToStream(...args);
    },
  };
}

describe('lesson writer (optimistic concurrency on the lesson stream)', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeEach(async () => {
    db = await openTestDatabase();
    store = withCatalogue(db.store);
    await createLesson(store, createCommand({ lessonId: 'l' }), meta);
  });
  afterEach(async () => {
    await db.close();
  });

  it('two writers that both read revision 0: one appends, the other gets a conflict naming revision 1; nothing is overwritten', async () => {
    const racing = appendsMeetingAt(store, 2);
    const results = await Promise.allSettled([
      changeLesson(racing, 'l', 0, [{ kind: 'edit', changes: { title: 'From A' } }], meta),
      changeLesson(racing, 'l', 0, [{ kind: 'edit', changes: { title: 'From B' } }], meta),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(LessonRevisionConflictError);
    expect(lost[0]!.reason).toMatchObject({ lessonId: 'l', expectedRevision: 0, currentRevision: 1 });
    const { state, events } = await loadLesson(store, 'l');
    expect(events).toHaveLength(2);
    expect(state!.title).toBe((won[0] as PromiseFulfilledResult<{ title: string }>).value.title);
  });

  it('a stale revision is refused before anything is decided; refusals write nothing', async () => {
    await changeLesson(store, 'l', 0, [{ kind: 'edit', changes: { title: 'One' } }], meta);
    await expect(changeLesson(store, 'l', 0, [{ kind: 'edit', changes: { title: 'Two' } }], meta)).rejects.toMatchObject({ currentRevision: 1 });
    await expect(changeLesson(store, 'l', 1, [{ kind: 'change-status', to: 'active', reason: 'r' }], meta)).rejects.toBeInstanceOf(LessonRejectedError);
    await expect(changeLesson(store, 'nope', 0, [{ kind: 'edit', changes: { title: 'x' } }], meta)).rejects.toBeInstanceOf(LessonNotFoundError);
    expect((await store.readStream('lesson-l')).length + (await store.readStream('lesson-nope')).length).toBe(2);
  });

  it('create and mutate refuse an id that is taken', async () => {
    await expect(createLesson(store, createCommand({ lessonId: 'l' }), meta)).rejects.toBeInstanceOf(LessonAlreadyExistsError);
    const variant = await mutateLesson(store, 'l', { kind: 'mutate', variantId: 'l2', reason: 'try' }, meta);
    expect(variant).toMatchObject({ lessonId: 'l2', parentLessonId: 'l', status: 'draft', revision: 0 });
    await expect(mutateLesson(store, 'l', { kind: 'mutate', variantId: 'l2', reason: 'again' }, meta)).rejects.toBeInstanceOf(LessonAlreadyExistsError);
  });
});
