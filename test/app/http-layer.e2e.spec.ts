/**
 * What the HTTP layer (Fastify under Nest) promises beyond each route: conditional GETs, forgiving routing, and
 * request bodies that only the routes meant for them read.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { isFresh, weakEtagOf } from '../../src/bootstrap/conditional-get.js';
import { MAX_JSON_BODY_BYTES } from '../../src/bootstrap/http-adapter.js';
import { API_TOKENS, csvRow, CURRENT_HEADER, eventCount, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('conditional GET rules', () => {
  const etag = weakEtagOf('{"a":1}');

  it('an ETag is the body size in hex and a hash, weak', () => {
    expect(etag).toMatch(/^W\/"7-[A-Za-z0-9_-]{27}"$/);
    expect(weakEtagOf('{"a":2}')).not.toBe(etag);
  });

  it.each([
    ['the same tag', { 'if-none-match': etag }, true],
    ['the same tag sent strong', { 'if-none-match': etag.slice(2) }, true],
    ['one of a list', { 'if-none-match': `W/"1-x", ${etag}` }, true],
    ['*', { 'if-none-match': '*' }, true],
    ['another tag', { 'if-none-match': 'W/"7-other"' }, false],
    ['no header', {}, false],
    ['the same tag with Cache-Control: no-cache', { 'if-none-match': etag, 'cache-control': 'no-cache' }, false],
  ])('%s -> fresh %s', (_name, headers, fresh) => {
    expect(isFresh(headers, etag)).toBe(fresh);
  });
});

describe('HTTP layer (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every GET answer carries an ETag; a matching If-None-Match is a 304 without a body, a stale one a 200', async () => {
    const first = await request(t.http).get('/eval-runs').expect(200);
    const etag = first.headers.etag!;
    expect(etag).toBe(weakEtagOf(first.text));
    const conditional = await request(t.http).get('/eval-runs').set('If-None-Match', etag);
    expect(conditional.status).toBe(304);
    expect(conditional.text).toBe('');
    expect((await request(t.http).get('/eval-runs').set('If-None-Match', 'W/"2-stale"')).status).toBe(200);
    expect((await request(t.http).get('/eval-runs').set('If-None-Match', etag).set('Cache-Control', 'no-cache')).status).toBe(200);
  });

  it('HEAD gets the same ETag without a body, and a 304 when it matches', async () => {
    const get = await request(t.http).get('/eval-runs').expect(200);
    const head = await request(t.http).head('/eval-runs').expect(200);
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.text).toBeUndefined();
    const conditional = await request(t.http).head('/eval-runs').set('If-None-Match', get.headers.etag!);
    expect(conditional.status).toBe(304);
  });

  it('errors and writes get no ETag and are never 304', async () => {
    const missing = await request(t.http).get('/eval-runs/no-such-run').set('If-None-Match', '*');
    expect(missing.status).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
  });

  it('routes match with a trailing slash and in any letter case, as they did on Express', async () => {
    const plain = await request(t.http).get('/eval-runs').expect(200);
    expect((await request(t.http).get('/eval-runs/').expect(200)).body).toEqual(plain.body);
    expect((await request(t.http).get('/EVAL-RUNS').expect(200)).body).toEqual(plain.body);
  });

  it('a long path parameter (a test name) reaches its handler with its case kept', async () => {
    const runId = `Run-${'x'.repeat(300)}`;
    const res = await request(t.http).get(`/eval-runs/${runId}`).expect(404);
    expect(res.body.message).toBe(`Eval run ${runId} is not recorded`);
  });

  it('a CSV body of another type gets the route\'s own 415, naming what to send; text/plain is read as CSV', async () => {
    const xml = await request(t.http)
      .post('/eval-runs/csv?runId=20260105_000000Z')
      .set('Authorization', WRITE_AUTH)
      .set('Content-Type', 'application/xml')
      .send('<run/>');
    expect(xml.status).toBe(415);
    expect(xml.body.message).toBe('Send the eval_results.csv as Content-Type: text/csv (got application/xml)');
    const plain = await request(t.http)
      .post('/eval-runs/csv?runId=20260105_000001Z')
      .set('Authorization', WRITE_AUTH)
      .set('Content-Type', 'text/plain')
      .send(`${CURRENT_HEADER}\n${csvRow()}\n`);
    expect(plain.status).toBe(201);
  });

  it('an empty JSON body reads as {} (as on Express); a malformed one is a 400 in Nest\'s shape', async () => {
    const empty = await request(t.http)
      .post('/projections/instances/no-such-instance/retry')
      .set('Authorization', WRITE_AUTH)
      .set('Content-Type', 'application/json')
      .send('');
    expect(empty.status).toBe(404);
    expect(empty.body.message).toMatch(/no-such-instance/);
    const malformed = await request(t.http).post('/eval-runs').set('Authorization', WRITE_AUTH).set('Content-Type', 'application/json').send('{"runId":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/^The body is not valid JSON: /) });
  });

  it('a URL the router cannot decode is a 400 in Nest\'s shape, not a Fastify error code', async () => {
    const res = await request(t.http).get('/eval-runs/%ZZ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
  });

  it('a JSON body over the limit is a 413 and appends nothing', async () => {
    const before = await eventCount(t);
    const res = await request(t.http)
      .post('/eval-runs')
      .set('Authorization', WRITE_AUTH)
      .set('Content-Type', 'application/json')
      .send(`{"runId":"too-big","pad":"${'x'.repeat(MAX_JSON_BODY_BYTES)}"}`);
    expect(res.status).toBe(413);
    expect(await eventCount(t)).toBe(before);
  });

  it('an unauthenticated CSV upload is refused before its body is read: the 401 comes while the body is still arriving', async () => {
    await new Promise<void>((resolve) => t.app.getHttpServer().listening ? resolve() : t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/eval-runs/csv?runId=20260105_000002Z', headers: { 'Content-Type': 'text/csv', 'Content-Length': 16 * 1024 * 1024 } },
        (res) => {
          res.resume();
          req.destroy();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      // A sixteenth of the announced body, then nothing: a server that buffered the body first would never answer.
      req.write(Buffer.alloc(1024 * 1024, 'a'));
      setTimeout(() => {
        req.destroy();
        resolve(0); // no answer while the body was incomplete
      }, 5000).unref();
    });
    expect(status).toBe(401);
  });
});

describe('HTTP layer at shutdown (e2e)', () => {
  it('a request still in flight when the app closes gets its answer: the server drains before the event store closes', async () => {
    const t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    try {
      await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      // Close only once the server has taken the request in: Fastify answers 503 to a request that arrives after
      // close() began (return503OnClosing), which on a loaded machine the headers alone could do.
      const received = new Promise((resolve) => t.app.getHttpServer().once('request', resolve));
      const body = `${CURRENT_HEADER}\n${csvRow()}\n`;
      const headers = { 'Content-Type': 'text/csv', 'Content-Length': Buffer.byteLength(body), Authorization: WRITE_AUTH };
      const answer = new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/eval-runs/csv?runId=20260106_000000Z', headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => req.end(body.slice(10)), 500); // the rest arrives after the close has begun
      });
      await received;
      const closing = t.app.close();
      expect(await answer).toBe(201);
      await closing;
    } finally {
      await t.close();
    }
  });
});
