import request from 'supertest';
import { describeListen } from '../../src/bootstrap/listen-address.js';
import { prettyLine } from '../../src/logging/pretty-destination.js';
import { QuietStartupLogger } from '../../src/logging/quiet-startup-logger.js';
import { API_TOKENS, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const run = {
  runId: 'metrics-run-1',
  startedAt: '2026-08-22T02:50:22Z',
  outcomes: [{ model: 'openai/gpt-4o@tool', test: 'hello', passed: true }],
};

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(text: string, name: string, labels: string[] = []): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(name) && labels.every((label) => l.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('server output: log lines, listen line', () => {
  it('writes a short pretty line: time, level, request id, context, message', () => {
    const line = prettyLine({ level: 30, time: Date.UTC(2026, 0, 1, 12, 0, 1, 5), context: 'Bootstrap', msg: 'lessonloop listening on port 3000' });
    expect(line).toBe('12:00:01.005 INFO  [Bootstrap] lessonloop listening on port 3000\n');
    const request = prettyLine({ level: 30, time: 0, req: { id: 'abcdef123456' }, msg: 'GET /leaderboard 200 3ms' });
    expect(request).toBe('00:00:00.000 INFO  abcdef12 GET /leaderboard 200 3ms\n');
  });

  it('says every interface when bound to :: or 0.0.0.0, and gives a local URL for the CLI', () => {
    expect(describeListen({ address: '::', family: 'IPv6', port: 3000 }, '::')).toEqual({
      line: 'listening on port 3000, every interface (http://localhost:3000)',
      localUrl: 'http://127.0.0.1:3000',
    });
    expect(describeListen({ address: '127.0.0.1', family: 'IPv4', port: 81 }, '127.0.0.1').line).toBe('listening on http://127.0.0.1:81');
    expect(describeListen({ address: '::1', family: 'IPv6', port: 81 }, '::1').localUrl).toBe('http://[::1]:81');
  });

  it("moves Nest's start-up lines to debug and passes the rest through", () => {
    const seen: string[] = [];
    const inner = { log: (m: unknown) => seen.push(`log ${m}`), debug: (m: unknown) => seen.push(`debug ${m}`), error: () => 0, warn: () => 0 };
    const logger = new QuietStartupLogger(inner);
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('running 13 projections', 'ProjectionEngine');
    expect(seen).toEqual(['debug AppModule dependencies initialized', 'log running 13 projections']);
  });
});

describe('/metrics: HTTP durations, ingest and append counters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts requests by route and status, runs ingested and events appended', async () => {
    const before = (await request(t.http).get('/metrics').expect(200)).text;
    const appendedBefore = sample(before, 'lessonloop_events_appended_total') ?? 0;
    await request(t.http).get('/lessons/nope').expect(404);
    await request(t.http).post('/eval-runs').set('Authorization', WRITE_AUTH).send(run).expect(201);
    await request(t.http).post('/eval-runs').set('Authorization', WRITE_AUTH).send(run).expect(200);
    const text = (await request(t.http).get('/metrics').expect(200)).text;
    expect(sample(text, 'lessonloop_http_request_duration_seconds_count', ['route="/lessons/:id"', 'status="404"', 'method="GET"'])).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lessonloop_http_request_duration_seconds_bucket', ['route="/eval-runs"', 'status="201"', 'le="+Inf"'])).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lessonloop_ingest_runs_total', ['source="http-json"', 'result="recorded"'])).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lessonloop_ingest_runs_total', ['source="http-json"', 'result="already-recorded"'])).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lessonloop_events_appended_total')! - appendedBefore).toBeGreaterThanOrEqual(2);
  });
});
