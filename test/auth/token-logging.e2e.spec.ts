import request from 'supertest';
import { hashToken } from '../../src/auth/token-hash.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { API_TOKENS, READ_TOKEN, WRITE_TOKEN } from '../ingest-http/http-test-support.js';

describe('API tokens never reach the logs (e2e)', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'debug', LESSONLOOP_API_TOKENS: API_TOKENS },
      logDestination: { write: (line: string) => lines.push(line) },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('accepted, refused and unknown tokens appear nowhere in the logs: request lines carry no headers', async () => {
    const run = { runId: 'log-run', startedAt: '2026-01-01T00:00:00Z', outcomes: [{ model: 'm', test: 't', passed: true }] };
    await request(t.http).post('/eval-runs').set('Authorization', `Bearer ${WRITE_TOKEN}`).send(run).expect(201);
    await request(t.http).post('/eval-runs').set('Authorization', `Bearer ${READ_TOKEN}`).send(run).expect(403);
    await request(t.http).post('/eval-runs').set('Authorization', 'Bearer ll_unknown-secret-token').send(run).expect(401);
    const records = lines.map((l) => JSON.parse(l) as { req?: { method?: string; url?: string; headers?: Record<string, string> } });
    const posts = records.filter((r) => r.req?.method === 'POST' && r.req.url === '/eval-runs');
    expect(posts.length).toBeGreaterThanOrEqual(3);
    // Request lines name the request without its headers (id, method, route, status, duration), so no Authorization.
    for (const record of posts) expect(record.req!.headers).toBeUndefined();
    const all = lines.join('\n');
    for (const secret of [WRITE_TOKEN, READ_TOKEN, 'll_unknown-secret-token']) expect(all).not.toContain(secret);
    expect(all).not.toContain(hashToken(WRITE_TOKEN));
  });
});
