import request from 'supertest';
import { redactUrlSecrets } from '../../src/logging/redaction.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('structured logs', () => {
  let t: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'info' }, logDestination: { write: (line: string) => lines.push(line) } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('writes one JSON object per line, and a request line without the bearer token or secret query values', async () => {
    await request(t.http)
      .get('/no-such-route?token=querysecret123&page=2')
      .set('Authorization', 'Bearer headersecret456')
      .set('x-request-id', 'req-abc')
      .expect(404);
    const records = lines.map((l) => JSON.parse(l) as Record<string, any>);
    const requestLine = records.find((r) => r.req?.id === 'req-abc');
    expect(requestLine).toBeDefined();
    expect(requestLine!.res).toEqual({ statusCode: 404 });
    expect(requestLine!.req).toEqual({ id: 'req-abc', method: 'GET', route: '/no-such-route', url: '/no-such-route?token=[redacted]&page=2' });
    expect(requestLine!.msg).toMatch(/^GET \/no-such-route 404 \d+ms$/);
    expect(typeof requestLine!.responseTime).toBe('number');
    const all = lines.join('\n');
    expect(all).not.toContain('headersecret456');
    expect(all).not.toContain('querysecret123');
    expect(all.length / lines.length).toBeLessThan(400);
  });

  it('names the matched route, not the URL with its ids', async () => {
    await request(t.http).get('/lessons/no-such-lesson').set('x-request-id', 'req-route');
    const line = lines.map((l) => JSON.parse(l) as Record<string, any>).find((r) => r.req?.id === 'req-route');
    expect(line!.req.route).toBe('/lessons/:id');
    expect(line!.msg).toMatch(/^GET \/lessons\/:id 404 \d+ms$/);
  });

  it("keeps Nest's start-up chatter (one line per module and route) out of info", () => {
    const records = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(records.filter((r) => ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(r.context))).toEqual([]);
  });

  it('does not log health probes', async () => {
    const before = lines.length;
    await request(t.http).get('/health').set('x-request-id', 'probe-1');
    expect(lines.slice(before).some((l) => l.includes('probe-1'))).toBe(false);
  });

  it('redacts only secret-looking query parameters', () => {
    expect(redactUrlSecrets('/a?api_key=1&q=x&password=2')).toBe('/a?api_key=[redacted]&q=x&password=[redacted]');
    expect(redactUrlSecrets('/a')).toBe('/a');
  });
});
