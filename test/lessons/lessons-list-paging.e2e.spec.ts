/**
 * GET /lessons a page at a time: total, offset, limit, server-side sort over the whole filtered catalogue,
 * text search, and 400s for unknown sort keys. Four lessons created through the API (no file, so the default
 * order is by id): alpha-tools (tools, "Zebra title"), beta-shell (tools, "Quote paths", archived after an
 * edit: revision 1), gamma-git (workflow, "Commit small"), delta-docs (docs, "Write docs").
 */
import request from 'supertest';
import { listLessonsPageParamsSchema, listTermsPageParamsSchema } from '../../src/lessons/queries/list-lessons-params.js';
import { eventually, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createLessonTestApp, type LessonTestApp } from './support/lesson-test-app.js';

const LESSONS = [
  { lessonId: 'alpha-tools', title: 'Zebra title', category: 'tools', description: 'Pick the right tool.' },
  { lessonId: 'beta-shell', title: 'Quote paths', category: 'tools', description: 'Paths with spaces break shells.' },
  { lessonId: 'gamma-git', title: 'Commit small', category: 'workflow', description: null },
  { lessonId: 'delta-docs', title: 'Write docs', category: 'docs', description: 'Document every path you add.' },
];

describe('GET /lessons paging, sort and text search (e2e)', () => {
  let t: LessonTestApp;
  const ids = (body: { items: { lessonId: string }[] }) => body.items.map((l) => l.lessonId);
  const list = async (query: string) => {
    const res = await request(t.http).get(`/lessons?${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: { lessonId: string }[]; total: number; offset: number; limit: number | null; asOf: string | null };
  };

  beforeAll(async () => {
    t = await createLessonTestApp();
    for (const l of LESSONS) {
      const body = { ...l, body: `# ${l.title}`, match: { keywords: [l.lessonId] }, ...(l.description === null ? { description: undefined } : {}) };
      await request(t.http).post('/lessons').set('Authorization', WRITE_AUTH).send(body).expect(201);
    }
    await request(t.http).patch('/lessons/beta-shell').set('Authorization', WRITE_AUTH).set('If-Match', '"0"')
      .send({ status: { to: 'archived', reason: 'test' } }).expect(200);
    await eventually(async () => {
      const body = await list('status=archived');
      expect(ids(body)).toEqual(['beta-shell']);
      expect((await list('')).total).toBe(4);
    }, 30_000);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('without paging parameters: every lesson, with the total (limit null)', async () => {
    const body = await list('');
    expect([ids(body), body.total, body.offset, body.limit, body.asOf]).toEqual([
      ['alpha-tools', 'beta-shell', 'delta-docs', 'gamma-git'], 4, 0, null, null,
    ]);
  });

  it('limit/offset cut a page from the sorted list; an offset past the end is an empty page with the total', async () => {
    const second = await list('limit=2&offset=2');
    expect([ids(second), second.total, second.offset, second.limit]).toEqual([['delta-docs', 'gamma-git'], 4, 2, 2]);
    const beyond = await list('limit=2&offset=10');
    expect([beyond.items, beyond.total]).toEqual([[], 4]);
  });

  it('sort and order run over the whole list before paging', async () => {
    // Titles: Commit small, Quote paths, Write docs, Zebra title.
    expect(ids(await list('sort=title&order=desc&limit=2'))).toEqual(['alpha-tools', 'delta-docs']);
    expect(ids(await list('sort=title&limit=1&offset=1'))).toEqual(['beta-shell']);
    // beta-shell is the only lesson at revision 1; the others tie at 0 and keep the id order.
    expect(ids(await list('sort=revision&order=desc'))).toEqual(['beta-shell', 'alpha-tools', 'delta-docs', 'gamma-git']);
    expect(ids(await list('sort=category&order=asc'))).toEqual(['delta-docs', 'alpha-tools', 'beta-shell', 'gamma-git']);
  });

  it('filters: text (id, title, description), status and category, with the total of the filtered list', async () => {
    const paths = await list('q=PATH');
    expect([ids(paths), paths.total]).toEqual([['beta-shell', 'delta-docs'], 2]);
    expect(ids(await list('q=git'))).toEqual(['gamma-git']);
    const tools = await list('category=tools');
    expect([ids(tools), tools.total]).toEqual([['alpha-tools', 'beta-shell'], 2]);
    const archivedTools = await list('category=tools&status=archived&limit=1');
    expect([ids(archivedTools), archivedTools.total]).toEqual([['beta-shell'], 1]);
  });

  it('GET /lessons/keywords pages the keyword index with its total', async () => {
    const all = (await request(t.http).get('/lessons/keywords?kind=keyword').expect(200)).body as { items: { term: string }[]; total: number };
    expect([all.items.map((i) => i.term).sort(), all.total]).toEqual([['alpha-tools', 'beta-shell', 'delta-docs', 'gamma-git'], 4]);
    const page = (await request(t.http).get('/lessons/keywords?kind=keyword&limit=2&offset=3').expect(200)).body as typeof all & { offset: number; limit: number };
    expect([page.items, page.total, page.offset, page.limit]).toEqual([all.items.slice(3), 4, 3, 2]);
    expect((await request(t.http).get('/lessons/keywords?limit=abc').expect(400)).body.problems[0].field).toBe('limit');
  });

  it('unknown sort keys and bad paging values are 400s naming the field', async () => {
    const res = await request(t.http).get('/lessons?sort=colour&limit=0');
    expect(res.status).toBe(400);
    const fields = (res.body.problems as { field: string; reason: string }[]).map((p) => p.field).sort();
    expect(fields).toEqual(['limit', 'sort']);
    expect((res.body.problems as { field: string; reason: string }[]).find((p) => p.field === 'sort')!.reason).toContain('updatedAt');
  });

  it('OpenAPI documents every query parameter of the two lists', async () => {
    const doc = (await request(t.http).get('/docs-json').expect(200)).body as { paths: Record<string, { get: { parameters: { name: string; in: string }[] } }> };
    const documented = (path: string) => doc.paths[path]!.get.parameters.filter((p) => p.in === 'query').map((p) => p.name).sort();
    expect(documented('/lessons')).toEqual(Object.keys(listLessonsPageParamsSchema.shape).sort());
    expect(documented('/lessons/keywords')).toEqual(Object.keys(listTermsPageParamsSchema.shape).sort());
  });
});
