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

  it('writes require the bearer token, reads make it optional, only probes are open', async () => {
    const doc = (await request(t.http).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        const security = JSON.stringify(operation.security ?? []);
        if (OPEN.has(route)) continue;
        const isWrite = method !== 'get' && !READS_BY_POST.has(route);
        const expected = isWrite ? [JSON.stringify([{ bearer: [] }])] : [JSON.stringify([{}, { bearer: [] }]), JSON.stringify([{ bearer: [] }, {}])];
        if (!expected.includes(security)) problems.push(`${route}: security ${security}, expected ${isWrite ? 'the write scope' : 'the read scope'}`);
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(5);
  });
});
