/**
 * Must show: `lessonloop import lessons <repo> --git` on a real repository built here (create, edit keywords,
 * archive, rename, delete): the events, their order, times, actors, sources and reasons as committed; a re-run
 * adds nothing; new commits add only theirs.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { foldLesson } from '../../src/lessons/domain/evolve-lesson.js';
import { lessonIdForPath } from '../../src/lessons/domain/lesson-ids.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { importLessonHistory } from '../../src/lessons/git/import-lesson-history.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { eventually } from '../ingest-http/http-test-support.js';
import { createTempRepo, type TempRepo } from './support/git-repo.js';

const alice = { author: 'Alice Doe', email: 'alice@example.com' };
const bob = { author: 'Bob Roe', email: 'bob@example.com' };

const quoting = (keywords: string[], extra = '') =>
  `---\nmatch:\n  keywords: [${keywords.map((k) => JSON.stringify(k)).join(', ')}]\nstatus: active\n${extra}---\n\n# Quote Shell Paths\n\n## Rule\nAlways quote paths.\n`;
const commitFormat = (status: string) => `---\nmatch:\n  keywords: ["commit message"]\nstatus: ${status}\n---\n\n# Commit Format\n\nUse conventional commits.\n`;

function summaryOf(events: RecordedEvent[]) {
  return events.map((e) => ({
    type: e.type,
    occurredAt: e.metadata.occurredAt,
    actor: e.metadata.actor,
    source: e.metadata.source,
    reason: (e.data as { reason?: string }).reason,
  }));
}

describe('lessonloop import lessons <repo> --git', () => {
  let db: TestDatabase;
  let store: EventStore;
  let repo: TempRepo;
  const shas: string[] = [];
  const quotingId = lessonIdForPath('tools/shell-quoting.md');
  const commitId = lessonIdForPath('workflow/commit-format.md');
  /** Events in the lessons' streams (read directly: never held back by other transactions). */
  const lessonEvents = async () => {
    let count = 0;
    for (const id of [quotingId, commitId, lessonIdForPath('workflow/commit-format.md', 1)]) count += (await store.readStream(lessonStreamId(id))).length;
    return count;
  };

  beforeAll(async () => {
    db = await openTestDatabase();
    store = withCatalogue(db.store);
    repo = await createTempRepo();
    await repo.write('README.md', '# Lessons\n');
    await repo.write('tools/shell-quoting.md', quoting(['path with spaces', 'No such file or directory']));
    await repo.write('workflow/commit-format.md', commitFormat('active'));
    shas.push(await repo.commit('Add two lessons', { ...alice, at: '2026-01-10T09:00:00Z' }));
    await repo.write('tools/shell-quoting.md', quoting(['path with spaces', 'unexpected word']));
    await repo.write('broken/bad.md', '---\nmatch: [oops\n---\n# Bad\n');
    shas.push(await repo.commit('Sharpen the quoting keywords', { ...bob, at: '2026-01-11T10:30:00+02:00' }));
    await repo.write('workflow/commit-format.md', commitFormat('archived'));
    shas.push(await repo.commit('Archive the commit format lesson', { ...alice, at: '2026-01-12T09:00:00Z' }));
    await repo.git('mv', 'tools/shell-quoting.md', 'shell-quoting.md');
    await repo.git('mv', 'shell-quoting.md', 'tools/quoting.md');
    shas.push(await repo.commit('Rename the quoting lesson', { ...bob, at: '2026-01-13T09:00:00Z' }));
    await repo.git('rm', '-q', 'workflow/commit-format.md');
    shas.push(await repo.commit('Remove the commit format lesson', { ...alice, at: '2026-01-14T09:00:00Z' }));
  });
  afterAll(async () => {
    await repo?.remove();
    await db?.close();
  });

  it('replays every commit that touched a lesson, as committed', async () => {
    const summary = await importLessonHistory(store, repo.dir);
    expect(summary).toMatchObject({
      commits: 5,
      created: ['tools/shell-quoting.md', 'workflow/commit-format.md'],
      changed: ['tools/shell-quoting.md', 'workflow/commit-format.md'],
      moved: [{ from: 'tools/shell-quoting.md', to: 'tools/quoting.md' }],
      deleted: ['workflow/commit-format.md'],
      eventsAppended: 6,
    });
    expect(summary.rejected).toEqual([
      { path: 'broken/bad.md', commit: shas[1], reason: expect.stringMatching(/^invalid YAML frontmatter/) },
    ]);

    const quotingEvents = await store.readStream(lessonStreamId(quotingId));
    expect(summaryOf(quotingEvents)).toEqual([
      { type: 'LessonCreated', occurredAt: '2026-01-10T09:00:00.000Z', actor: 'Alice Doe <alice@example.com>', source: `git:${shas[0]}`, reason: 'Add two lessons' },
      { type: 'LessonMatchChanged', occurredAt: '2026-01-11T08:30:00.000Z', actor: 'Bob Roe <bob@example.com>', source: `git:${shas[1]}`, reason: 'Sharpen the quoting keywords' },
      { type: 'LessonMoved', occurredAt: '2026-01-13T09:00:00.000Z', actor: 'Bob Roe <bob@example.com>', source: `git:${shas[3]}`, reason: 'Rename the quoting lesson' },
    ]);
    expect(quotingEvents[1]!.data).toMatchObject({ added: { keywords: ['unexpected word'] }, removed: { keywords: ['No such file or directory'] }, decidedBy: 'human' });
    expect(quotingEvents[2]!.data).toMatchObject({ fromPath: 'tools/shell-quoting.md', toPath: 'tools/quoting.md' });
    expect(foldLesson(quotingEvents)).toMatchObject({ lessonId: quotingId, path: 'tools/quoting.md', match: { keywords: ['path with spaces', 'unexpected word'] } });

    const commitEvents = await store.readStream(lessonStreamId(commitId));
    expect(summaryOf(commitEvents)).toEqual([
      { type: 'LessonCreated', occurredAt: '2026-01-10T09:00:00.000Z', actor: 'Alice Doe <alice@example.com>', source: `git:${shas[0]}`, reason: 'Add two lessons' },
      { type: 'LessonStatusChanged', occurredAt: '2026-01-12T09:00:00.000Z', actor: 'Alice Doe <alice@example.com>', source: `git:${shas[2]}`, reason: 'Archive the commit format lesson' },
      { type: 'LessonDeleted', occurredAt: '2026-01-14T09:00:00.000Z', actor: 'Alice Doe <alice@example.com>', source: `git:${shas[4]}`, reason: 'Remove the commit format lesson' },
    ]);
    expect(commitEvents[1]!.data).toMatchObject({ from: 'active', to: 'archived', decidedBy: 'human' });
    expect(commitEvents[2]!.data).toMatchObject({ path: 'workflow/commit-format.md' });
    // Both lessons' events in commit order in the global log too (readAll may lag behind other open
    // transactions on PostgreSQL, hence eventually).
    await eventually(async () => {
      const all = await store.readAll();
      expect(all.map((e) => e.metadata.source)).toEqual([shas[0], shas[0], shas[1], shas[2], shas[3], shas[4]].map((s) => `git:${s}`));
    });
  });

  it('a re-run adds nothing', async () => {
    const before = await lessonEvents();
    const again = await importLessonHistory(store, repo.dir);
    expect(again).toMatchObject({ commits: 5, eventsAppended: 0, created: [], changed: [], moved: [], deleted: [] });
    expect(await lessonEvents()).toBe(before);
  });

  it('after new commits, only theirs are added; a new file at a freed path is a new lesson', async () => {
    await repo.write('tools/quoting.md', quoting(['path with spaces', 'unexpected word'], 'description: "Quote every path."\n'));
    const edit = await repo.commit('Describe the quoting lesson', { ...bob, at: '2026-02-01T12:00:00Z' });
    await repo.write('workflow/commit-format.md', commitFormat('draft'));
    const recreate = await repo.commit('Start a new commit format lesson', { ...alice, at: '2026-02-02T12:00:00Z' });

    const before = await lessonEvents();
    const summary = await importLessonHistory(store, repo.dir);
    expect(summary).toMatchObject({ commits: 7, eventsAppended: 2, created: ['workflow/commit-format.md'], changed: ['tools/quoting.md'] });
    expect(await lessonEvents()).toBe(before + 2);
    const quotingEvents = await store.readStream(lessonStreamId(quotingId));
    expect(quotingEvents).toHaveLength(4);
    expect(quotingEvents[3]).toMatchObject({
      type: 'LessonEdited',
      metadata: { source: `git:${edit}`, occurredAt: '2026-02-01T12:00:00.000Z' },
      data: { changes: { description: { from: 'Always quote paths.', to: 'Quote every path.' } }, reason: 'Describe the quoting lesson' },
    });
    const reborn = await store.readStream(lessonStreamId(lessonIdForPath('workflow/commit-format.md', 1)));
    expect(reborn.map((e) => [e.type, e.metadata.source])).toEqual([['LessonCreated', `git:${recreate}`]]);
    expect(foldLesson(reborn)).toMatchObject({ status: 'draft', path: 'workflow/commit-format.md' });
    expect(await importLessonHistory(store, repo.dir)).toMatchObject({ eventsAppended: 0 });
  });
});
