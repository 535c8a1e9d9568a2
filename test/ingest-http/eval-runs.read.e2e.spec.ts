import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { API_TOKENS, eventually, READ_AUTH, WRITE_AUTH } from './http-test-support.js';

/** Six runs a day apart; runs 0, 2, 4 include model-b. */
const runs = Array.from({ length: 6 }, (_, i) => ({
  runId: `run-${i}`,
  startedAt: `2026-05-0${i + 1}T10:00:00.123456Z`,
  outcomes: [
    { model: 'model-a@xml', test: 'hello', passed: true },
    ...(i % 2 === 0 ? [{ model: 'model-b', toolFormat: 'tool', test: 'hello', passed: false }] : []),
  ],
}));

describe('GET /eval-runs (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    for (const run of runs) {
      await request(t.http).post('/eval-runs').set('Authorization', WRITE_AUTH).send(run).expect(201);
    }
    await eventually(async () => {
      const res = await request(t.http).get('/eval-runs?limit=10');
      expect(res.body.items).toHaveLength(6);
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: string) => {
    const res = await request(t.http).get(`/eval-runs${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: { runId: string; startedAt: string; models: string[] }[]; nextCursor: string | null };
  };

  it('lists newest first with summaries', async () => {
    const page = await list('');
    expect(page.items.map((r) => r.runId)).toEqual(['run-5', 'run-4', 'run-3', 'run-2', 'run-1', 'run-0']);
    expect(page.nextCursor).toBeNull();
    expect(page.items[1]).toMatchObject({
      runId: 'run-4',
      startedAt: '2026-05-05T10:00:00.123Z',
      source: 'api',
      counts: { outcomes: 2, passed: 1, failed: 1, suspectedInfraErrors: 0 },
      models: ['model-a', 'model-b'],
    });
  });

  it('pages with limit and cursor, without gaps or repeats (microsecond start times)', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((r) => r.runId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(['run-5', 'run-4', 'run-3', 'run-2', 'run-1', 'run-0']);
  });

  it('filters by model (name or raw string) and by date range', async () => {
    expect((await list('?model=model-b')).items.map((r) => r.runId)).toEqual(['run-4', 'run-2', 'run-0']);
    expect((await list('?model=model-a@xml&limit=2')).items.map((r) => r.runId)).toEqual(['run-5', 'run-4']);
    expect((await list('?model=nobody')).items).toEqual([]);
    const range = await list('?from=2026-05-02T10:00:00.123456Z&to=2026-05-05T00:00:00Z');
    expect(range.items.map((r) => r.runId)).toEqual(['run-3', 'run-2', 'run-1']);
    expect((await list('?model=model-b&from=2026-05-02T00:00:00Z&limit=1')).items.map((r) => r.runId)).toEqual(['run-4']);
  });

  it('refuses bad query parameters with 400 naming them', async () => {
    const res = await request(t.http).get('/eval-runs?limit=0&cursor=nope&from=monday&colour=red');
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['colour', 'cursor', 'from', 'limit']);
  });

  it('404 for an unknown run', async () => {
    const res = await request(t.http).get('/eval-runs/no-such-run');
    expect(res.status).toBe(404);
    expect(res.body.message).toContain('no-such-run');
  });

  it('reads are open by default (a token is accepted but not needed)', async () => {
    await request(t.http).get('/eval-runs/run-1').expect(200);
    await request(t.http).get('/eval-runs/run-1').set('Authorization', READ_AUTH).expect(200);
  });
});

describe('GET /eval-runs with LESSONLOOP_REQUIRE_READ_TOKEN=true (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_REQUIRE_READ_TOKEN: 'true' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('needs a token with the read scope', async () => {
    await request(t.http).get('/eval-runs').expect(401);
    await request(t.http).get('/eval-runs').set('Authorization', READ_AUTH).expect(200);
    await request(t.http).get('/external-changes').expect(401);
  });
});
