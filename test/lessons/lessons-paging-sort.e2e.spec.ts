/**
 * GET /lessons sorted by path and by event time, both orders. Three lessons appended to the store with event times
 * written with different offsets, so that the instants and the raw strings order them differently:
 *   b-file   path b/x.md  created 2026-03-01T12:00:00+05:00 = 07:00Z
 *   a-file   path a/y.md  created 2026-03-01T08:00:00Z      = 08:00Z
 *   no-file  no path      created 2026-03-01T09:30:00+01:00 = 08:30Z
 * By instant: b-file, a-file, no-file. As strings: a-file (08...), no-file (09...), b-file (12...).
 */
import request from 'supertest';
import { eventually } from '../ingest-http/http-test-support.js';
import { decideLessonChanges } from '../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { createCommand } from './support/lesson-events.js';
import { createLessonTestApp, type LessonTestApp } from './support/lesson-test-app.js';

const LESSONS = [
  { lessonId: 'b-file', path: 'b/x.md', createdAt: '2026-03-01T12:00:00+05:00' },
  { lessonId: 'a-file', path: 'a/y.md', createdAt: '2026-03-01T08:00:00Z' },
  { lessonId: 'no-file', path: undefined, createdAt: '2026-03-01T09:30:00+01:00' },
];

describe('GET /lessons sort by path and by event time (e2e)', () => {
  let t: LessonTestApp;
  const ids = async (query: string) => {
    const res = await request(t.http).get(`/lessons?${query}`);
    expect(res.status).toBe(200);
    return (res.body.items as { lessonId: string }[]).map((l) => l.lessonId);
  };

  beforeAll(async () => {
    t = await createLessonTestApp();
    const appends = LESSONS.map(({ lessonId, path, createdAt }) => {
      const drafts = decideLessonChanges(null, [createCommand({ lessonId, path, title: lessonId, match: { keywords: [lessonId] } })], lessonId);
      return { streamId: lessonStreamId(lessonId), events: toNewEvents(drafts, { occurredAt: createdAt, source: 'test' }) };
    });
    await t.store.appendMany(appends);
    await eventually(async () => expect((await ids('')).length).toBe(3), 30_000);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('path: lessons without a file come last in both orders', async () => {
    expect(await ids('sort=path')).toEqual(['a-file', 'b-file', 'no-file']);
    expect(await ids('sort=path&order=desc')).toEqual(['b-file', 'a-file', 'no-file']);
    expect(await ids('sort=path&order=desc&limit=1&offset=2')).toEqual(['no-file']);
  });

  it('createdAt and updatedAt compare instants, not the strings with their offsets', async () => {
    expect(await ids('sort=createdAt')).toEqual(['b-file', 'a-file', 'no-file']);
    expect(await ids('sort=createdAt&order=desc')).toEqual(['no-file', 'a-file', 'b-file']);
    expect(await ids('sort=updatedAt')).toEqual(['b-file', 'a-file', 'no-file']);
  });
});
