/**
 * State as of a past date over HTTP: a repository's history replayed into the app's store (commit times as
 * occurredAt), then GET /lessons?asOf= and GET /lessons/:id?asOf= between the commits, and the timeline.
 */
import request from 'supertest';
import { lessonIdForPath } from '../../src/lessons/domain/lesson-ids.js';
import { importLessonHistory } from '../../src/lessons/git/import-lesson-history.js';
import { createTempRepo, type TempRepo } from './support/git-repo.js';
import { eventually } from '../ingest-http/http-test-support.js';
import { createLessonTestApp, type LessonTestApp } from './support/lesson-test-app.js';

const ann = { author: 'Ann Lee', email: 'ann@example.com' };
const lesson = (keywords: string, status: string) => `---\nmatch:\n  keywords: [${keywords}]\nstatus: ${status}\n---\n\n# Quote Paths\n\nQuote them.\n`;
const other = '---\nmatch:\n  keywords: [commit message]\n---\n\n# Commit Format\n\nConventional.\n';

describe('/lessons as of a past date (e2e, from a replayed git history)', () => {
  let t: LessonTestApp;
  let repo: TempRepo;
  const shas: string[] = [];
  const quotingId = lessonIdForPath('tools/quoting.md');
  const ids = (body: { items: { lessonId: string }[] }) => body.items.map((l) => l.lessonId).sort();

  beforeAll(async () => {
    repo = await createTempRepo();
    await repo.write('tools/quoting.md', lesson('path with spaces', 'active'));
    shas.push(await repo.commit('Add quoting', { ...ann, at: '2026-01-10T09:00:00Z' }));
    await repo.write('workflow/commits.md', other);
    await repo.write('tools/quoting.md', lesson('path with spaces, unexpected word', 'active'));
    shas.push(await repo.commit('Add commits, sharpen quoting', { ...ann, at: '2026-01-11T09:00:00Z' }));
    await repo.write('tools/quoting.md', lesson('path with spaces, unexpected word', 'archived'));
    shas.push(await repo.commit('Archive quoting', { ...ann, at: '2026-01-12T09:00:00Z' }));
    await repo.git('rm', '-q', 'workflow/commits.md');
    shas.push(await repo.commit('Drop commits', { ...ann, at: '2026-01-13T09:00:00Z' }));

    t = await createLessonTestApp();
    expect(await importLessonHistory(t.store, repo.dir)).toMatchObject({ eventsAppended: 5, rejected: [] });
    // The read models follow the store asynchronously: wait until each shows the last commit.
    await eventually(async () => {
      expect((await request(t.http).get('/lessons?includeDeleted=true').expect(200)).body.items.map((l: { revision: number }) => l.revision).sort()).toEqual([1, 2]);
      expect((await request(t.http).get(`/lessons/${quotingId}/timeline`).expect(200)).body.entries).toHaveLength(3);
      expect((await request(t.http).get('/lessons/keywords?kind=keyword').expect(200)).body.items).toHaveLength(3);
    });
  });
  afterAll(async () => {
    await t?.close();
    await repo?.remove();
  });

  it('GET /lessons?asOf= gives the catalogue as it was then', async () => {
    expect((await request(t.http).get('/lessons?asOf=2026-01-09T00:00:00Z').expect(200)).body).toEqual({ items: [], total: 0, offset: 0, limit: null, asOf: '2026-01-09T00:00:00Z' });
    const day1 = (await request(t.http).get('/lessons?asOf=2026-01-10T12:00:00Z').expect(200)).body;
    expect(ids(day1)).toEqual([quotingId]);
    expect(day1.items[0]).toMatchObject({ status: 'active', revision: 0, match: { keywords: ['path with spaces'] } });
    const day2 = (await request(t.http).get('/lessons?asOf=2026-01-11T12:00:00%2B00:00').expect(200)).body;
    expect(day2.items.map((l: { path: string }) => l.path)).toEqual(['tools/quoting.md', 'workflow/commits.md']);
    expect(day2.items[0]).toMatchObject({ status: 'active', match: { keywords: ['path with spaces', 'unexpected word'] } });
    expect(ids((await request(t.http).get('/lessons?asOf=2026-01-12T12:00:00Z&status=archived').expect(200)).body)).toEqual([quotingId]);
    expect(ids((await request(t.http).get('/lessons?asOf=2026-01-12T12:00:00Z&keyword=Commit%20Message').expect(200)).body)).toEqual([lessonIdForPath('workflow/commits.md')]);
    // now: the commits lesson was deleted
    expect(ids((await request(t.http).get('/lessons').expect(200)).body)).toEqual([quotingId]);
    expect((await request(t.http).get('/lessons?includeDeleted=true').expect(200)).body.items).toHaveLength(2);
    await request(t.http).get('/lessons?asOf=last-week').expect(400);
  });

  it('GET /lessons/:id?asOf= folds the lesson stream up to then; 404 before it existed', async () => {
    const then = await request(t.http).get(`/lessons/${quotingId}?asOf=2026-01-11T12:00:00Z`).expect(200);
    expect(then.body).toMatchObject({ revision: 1, status: 'active', match: { keywords: ['path with spaces', 'unexpected word'] }, updatedAt: '2026-01-11T09:00:00.000Z' });
    expect(then.headers.etag ?? '').not.toMatch(/^"\d+"$/); // a past state is no revision to edit
    const now = await request(t.http).get(`/lessons/${quotingId}`).expect(200);
    expect(now.body).toMatchObject({ revision: 2, status: 'archived' });
    await request(t.http).get(`/lessons/${quotingId}?asOf=2026-01-01T00:00:00Z`).expect(404);
  });

  it('the timeline shows each commit: time, author, git:<sha>, subject', async () => {
    const res = await request(t.http).get(`/lessons/${quotingId}/timeline`).expect(200);
    expect(res.body.entries.map((e: Record<string, unknown>) => [e.type, e.occurredAt, e.actor, e.source, e.reason])).toEqual([
      ['LessonCreated', '2026-01-10T09:00:00.000Z', 'Ann Lee <ann@example.com>', `git:${shas[0]}`, 'Add quoting'],
      ['LessonMatchChanged', '2026-01-11T09:00:00.000Z', 'Ann Lee <ann@example.com>', `git:${shas[1]}`, 'Add commits, sharpen quoting'],
      ['LessonStatusChanged', '2026-01-12T09:00:00.000Z', 'Ann Lee <ann@example.com>', `git:${shas[2]}`, 'Archive quoting'],
    ]);
    expect(res.body.entries[2].changes).toEqual([{ field: 'status', before: 'active', after: 'archived' }]);
  });
});
