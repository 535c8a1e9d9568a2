import { rename, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { lessonIdForPath } from '../../src/lessons/domain/lesson-ids.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { importLessonDirectory } from '../../src/lessons/import/import-lesson-directory.js';
import { loadLesson } from '../../src/lessons/store/lesson-events.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { copyOfFixture, MINI_LESSONS } from './support/fixtures.js';

describe('lessonloop import lessons <dir>', () => {
  let db: TestDatabase;
  let store: EventStore;
  let copy: { dir: string; remove(): Promise<void> };
  const quotingId = lessonIdForPath('tools/shell-quoting.md');
  const commitId = lessonIdForPath('workflow/commit-format.md');

  beforeEach(async () => {
    db = await openTestDatabase();
    store = withCatalogue(db.store);
    copy = await copyOfFixture(MINI_LESSONS);
  });
  afterEach(async () => {
    await copy.remove();
    await db.close();
  });

  /** What the lesson catalogue gives the CLI: the lesson ids recorded so far. */
  const known = async () => ({ knownLessonIds: [quotingId, commitId, lessonIdForPath('workflow/commit-format.md', 1)] });
  /** Events of the fixture's lessons (streams are read directly: not held back by concurrent transactions). */
  const lessonEvents = async () => {
    let count = 0;
    for (const id of (await known()).knownLessonIds) count += (await store.readStream(lessonStreamId(id))).length;
    return count;
  };
  const edit = async (relative: string, change: (text: string) => string) => {
    const file = path.join(copy.dir, relative);
    await writeFile(file, change(await readFile(file, 'utf8')));
  };

  it('creates one lesson per valid file, reports malformed files with the reason, and a re-run adds nothing', async () => {
    const first = await importLessonDirectory(store, copy.dir, { actor: 'tester' });
    expect(first).toMatchObject({ files: 5, created: ['tools/shell-quoting.md', 'workflow/commit-format.md'], eventsAppended: 2, unchanged: 0 });
    expect(first.rejected).toEqual([
      { path: 'broken/bad-yaml.md', reason: expect.stringContaining('invalid YAML frontmatter (frontmatter line 3, column 1)') },
      { path: 'broken/unclosed.md', reason: 'the frontmatter opened by --- on line 1 is never closed by a --- line' },
      { path: 'broken/unknown-status.md', reason: 'unknown status "retired" (known: draft, active, automated, deprecated, archived)' },
    ]);
    const [created] = await store.readStream(lessonStreamId(quotingId));
    expect(created).toMatchObject({ type: 'LessonCreated', schemaVersion: 2, metadata: { source: 'lesson-files', actor: 'tester' } });
    expect(created!.data).toMatchObject({ lessonId: quotingId, path: 'tools/shell-quoting.md', reason: 'imported from tools/shell-quoting.md', extraFrontmatter: { tags: ['shell', 'quoting'] } });

    const again = await importLessonDirectory(store, copy.dir);
    expect(again).toMatchObject({ created: [], changed: [], unchanged: 2, eventsAppended: 0 });
    expect(await lessonEvents()).toBe(2);
  });

  it('an edited file gives edit events on the same lesson, not a new lesson', async () => {
    await importLessonDirectory(store, copy.dir);
    await edit('tools/shell-quoting.md', (text) =>
      text
        .replace('# Quote Shell Paths', '# Quote Every Shell Path')
        .replace('    - "No such file or directory"\n', '    - "No such file or directory"\n    - "unexpected word"\n')
        .replace('status: active', 'status: deprecated')
        .replace('tags: [shell, quoting]', 'tags: [shell]'),
    );
    const summary = await importLessonDirectory(store, copy.dir);
    expect(summary).toMatchObject({ created: [], changed: ['tools/shell-quoting.md'], unchanged: 1, eventsAppended: 3 });
    const events = await store.readStream(lessonStreamId(quotingId));
    expect(events.map((e) => e.type)).toEqual(['LessonCreated', 'LessonEdited', 'LessonMatchChanged', 'LessonStatusChanged']);
    expect(events[1]!.data).toMatchObject({
      changes: {
        title: { from: 'Quote Shell Paths', to: 'Quote Every Shell Path' },
        body: { from: expect.stringContaining('# Quote Shell Paths'), to: expect.stringContaining('# Quote Every Shell Path') },
        extraFrontmatter: { from: { tags: ['shell', 'quoting'] }, to: { tags: ['shell'] } },
      },
      reason: 'changed in tools/shell-quoting.md',
    });
    expect(events[2]!.data).toMatchObject({ added: { keywords: ['unexpected word'] }, removed: { keywords: [] }, decidedBy: 'human' });
    expect(events[3]!.data).toMatchObject({ from: 'active', to: 'deprecated', decidedBy: 'human' });
    expect((await loadLesson(store, quotingId)).state).toMatchObject({ revision: 3, status: 'deprecated', title: 'Quote Every Shell Path' });
    expect(await importLessonDirectory(store, copy.dir)).toMatchObject({ eventsAppended: 0, unchanged: 2 });
  });

  it('a renamed file keeps its lesson (LessonMoved, and the category of its new folder), found by content', async () => {
    await importLessonDirectory(store, copy.dir);
    await mkdir(path.join(copy.dir, 'shell'));
    await rename(path.join(copy.dir, 'tools/shell-quoting.md'), path.join(copy.dir, 'shell/quoting.md'));
    const summary = await importLessonDirectory(store, copy.dir, await known());
    expect(summary).toMatchObject({ moved: [{ from: 'tools/shell-quoting.md', to: 'shell/quoting.md' }], created: [], missing: [], eventsAppended: 2 });
    expect((await loadLesson(store, quotingId)).state).toMatchObject({ path: 'shell/quoting.md', category: 'shell', revision: 2 });
    // found again on the next run through the known ids (the catalogue gives them in the app)
    expect(await importLessonDirectory(store, copy.dir, { knownLessonIds: [quotingId] })).toMatchObject({ eventsAppended: 0, unchanged: 2, created: [] });
  });

  it('a removed file is reported, deleted only with prune; a new file at that path is a new lesson', async () => {
    await importLessonDirectory(store, copy.dir);
    await rm(path.join(copy.dir, 'workflow/commit-format.md'));
    // Without the known ids nothing points at the removed file's lesson: it is not even seen.
    expect(await importLessonDirectory(store, copy.dir)).toMatchObject({ missing: [], deleted: [], eventsAppended: 0 });
    expect(await importLessonDirectory(store, copy.dir, await known())).toMatchObject({ missing: ['workflow/commit-format.md'], deleted: [], eventsAppended: 0 });
    const pruned = await importLessonDirectory(store, copy.dir, { ...(await known()), prune: true, now: () => new Date('2026-05-01T00:00:00Z') });
    expect(pruned).toMatchObject({ deleted: ['workflow/commit-format.md'], eventsAppended: 1 });
    const deleted = (await store.readStream(lessonStreamId(commitId)))[1]!;
    expect(deleted).toMatchObject({ type: 'LessonDeleted', metadata: { occurredAt: '2026-05-01T00:00:00.000Z' } });

    await writeFile(path.join(copy.dir, 'workflow/commit-format.md'), '---\nmatch:\n  keywords: [commit]\n---\n# Commits Again\n');
    const recreated = await importLessonDirectory(store, copy.dir, await known());
    expect(recreated).toMatchObject({ created: ['workflow/commit-format.md'], eventsAppended: 1 });
    const newId = lessonIdForPath('workflow/commit-format.md', 1);
    expect((await loadLesson(store, newId)).state).toMatchObject({ title: 'Commits Again', deleted: false });
    expect(await importLessonDirectory(store, copy.dir, await known())).toMatchObject({ eventsAppended: 0, unchanged: 2, missing: [] });
  });
});
