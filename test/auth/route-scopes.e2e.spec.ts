import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Routes that are open on purpose: probes and scrapes. */
const OPEN = new Set(['GET /health', 'GET /metrics']);
/** POST used for a read (a query with a body): the `read` scope, so open unless reads are protected. */
const READS_BY_POST = new Set(['POST /lessons/match']);

/**
 * Every endpoint of the whole app states its scope (@RequiresScope, which also documents it), and every
 * write endpoint needs a token: a new controller that forgets it fails here, not in production.
 */
describe('every route declares its scope (e2e over the OpenAPI document)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes require the bearer token, reads are marked open (read scope), only probes are unmarked', async () => {
    const doc = (await request(t.http).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[]; 'x-lessonloop-scope'?: string }>>;
    };
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        const security = JSON.stringify(operation.security ?? []) + (operation['x-lessonloop-scope'] ? ` ${operation['x-lessonloop-scope']}` : '');
        if (OPEN.has(route)) continue;
        const isWrite = method !== 'get' && !READS_BY_POST.has(route);
        const expected = isWrite ? [JSON.stringify([{ bearer: [] }])] : ['[] read'];
        if (!expected.includes(security)) problems.push(`${route}: security ${security}, expected ${isWrite ? 'the write scope' : 'the read scope'}`);
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(5);
  });

  it('with LESSONLOOP_REQUIRE_READ_TOKEN=true, reads need the bearer token in the document too', async () => {
    const strict = await createTestApp({ env: { LESSONLOOP_REQUIRE_READ_TOKEN: 'true' } });
    try {
      const doc = (await request(strict.http).get('/docs-json').set('authorization', 'Bearer none').expect(200)).body;
      expect(doc.paths['/leaderboard'].get.security).toEqual([{ bearer: [] }]);
      expect(doc.paths['/leaderboard'].get['x-lessonloop-scope']).toBe('read');
    } finally {
      await strict.close();
    }
  });
});
