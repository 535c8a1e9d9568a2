import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { API_TOKENS, csvRow, CURRENT_HEADER, eventCount, eventually, READ_AUTH, WRITE_AUTH } from './http-test-support.js';

const run = {
  runId: 'json-run-1',
  startedAt: '2026-08-22T02:50:22Z',
  suite: 'default',
  outcomes: [
    {
      model: 'openai/gpt-4o@tool',
      test: 'hello',
      passed: true,
      score: '3/4',
      toolCalls: 2,
      numSteps: 3,
      tokensInput: 100,
      tokensOutput: 20,
      tokensTotal: 120,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      cacheHitRate: 0,
      costUsd: 0.01,
      totalDuration: 9.5,
      generationTime: 8,
      runTime: 1,
      evalTime: 0.5,
      commitHash: 'v0.33.0',
      cases: [{ name: 'output', passed: true, durationS: 0.1 }],
    },
    { model: 'anthropic/claude-haiku-4-5', toolFormat: 'markdown', test: 'hello', passed: false, totalDuration: 1.2, generationTime: 1.2, runTime: 0, evalTime: 0 },
  ],
};

describe('POST /eval-runs and /eval-runs/csv (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (body: unknown, auth = WRITE_AUTH) => request(t.http).post('/eval-runs').set('Authorization', auth).send(body as object);
  const postCsv = (text: string, query: Record<string, string>, auth = WRITE_AUTH) =>
    request(t.http).post('/eval-runs/csv').query(query).set('Authorization', auth).set('Content-Type', 'text/csv').send(text);

  it('accepts a JSON run (201), records one stream with the run and its outcomes, and reads it back', async () => {
    const before = await eventCount(t);
    const res = await post(run);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      status: 'recorded',
      runId: 'json-run-1',
      streamId: 'eval-run-json-run-1',
      startedAt: '2026-08-22T02:50:22Z',
      source: 'api',
      suite: 'default',
      counts: { outcomes: 2, passed: 1, failed: 1, suspectedInfraErrors: 1 },
      models: ['anthropic/claude-haiku-4-5', 'openai/gpt-4o'],
      events: 3,
    });
    expect(await eventCount(t)).toBe(before + 3);
    const stream = await t.store.readStream('eval-run-json-run-1');
    expect(stream.map((e) => e.type)).toEqual(['EvalRunRecorded', 'TestOutcomeRecorded', 'TestOutcomeRecorded']);
    expect(stream[1]!.metadata).toMatchObject({ occurredAt: '2026-08-22T02:50:22Z', source: 'api', actor: 'token:writer' });

    const detail = await eventually(async () => {
      const r = await request(t.http).get('/eval-runs/json-run-1');
      expect(r.status).toBe(200);
      return r.body;
    });
    expect(detail).toMatchObject({ runId: 'json-run-1', suite: 'default', counts: { outcomes: 2, passed: 1 } });
    expect(detail.outcomes).toHaveLength(2);
    expect(detail.outcomes[0]).toMatchObject({
      model: 'openai/gpt-4o',
      rawModel: 'openai/gpt-4o@tool',
      toolFormat: 'tool',
      score: { passed: 3, total: 4 },
      steps: 3,
      tokens: { input: 100, output: 20, total: 120, cacheRead: 0, cacheCreation: 0 },
      durations: { total: 9.5, generation: 8, run: 1, eval: 0.5 },
      harnessCommit: 'v0.33.0',
      cases: [{ name: 'output', passed: true, durationS: 0.1 }],
      suspectedInfraError: false,
      eventId: stream[1]!.eventId,
    });
    expect(detail.outcomes[1]).toMatchObject({ model: 'anthropic/claude-haiku-4-5', toolFormat: 'markdown', passed: false, suspectedInfraError: true });
  });

  it('answers a replay with 200 and what is stored, writing nothing', async () => {
    const before = await eventCount(t);
    const res = await post({ ...run, source: 'another-channel' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'already-recorded', runId: 'json-run-1', source: 'api', events: 3 });
    expect(await eventCount(t)).toBe(before);
  });

  it('refuses different content under a recorded runId with 409 and the differences, writing nothing', async () => {
    const before = await eventCount(t);
    const changed = { ...run, outcomes: [{ ...run.outcomes[0], passed: false }, run.outcomes[1]] };
    const res = await post(changed);
    expect(res.status).toBe(409);
    expect(res.body.runId).toBe('json-run-1');
    expect(res.body.differences).toEqual(
      expect.arrayContaining([expect.stringContaining('outcome openai/gpt-4o@tool (tool) / hello differs: passed')]),
    );
    expect(await eventCount(t)).toBe(before);
  });

  it('accepts a CSV run (201) with the run time taken from a folder-name runId, and a replay answers 200', async () => {
    const csv = [CURRENT_HEADER, csvRow(), csvRow({ Test: 'hello-patch', Passed: 'false', Score: '0/2' })].join('\n') + '\n';
    const before = await eventCount(t);
    const res = await postCsv(csv, { runId: '20260101_120000Z', suite: 'default' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'recorded',
      startedAt: '2026-01-01T12:00:00.000Z',
      source: 'gptme-csv:20260101_120000Z',
      counts: { outcomes: 2, passed: 1, failed: 1, suspectedInfraErrors: 0 },
      events: 3,
    });
    expect(await eventCount(t)).toBe(before + 3);
    const replay = await postCsv(csv, { runId: '20260101_120000Z', suite: 'default' });
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe('already-recorded');
    expect(await eventCount(t)).toBe(before + 3);
  });

  it('needs startedAt for a CSV run whose id is not a folder name', async () => {
    const res = await postCsv(`${CURRENT_HEADER}\n${csvRow()}\n`, { runId: 'nightly-7' });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([{ row: null, field: 'startedAt', reason: expect.stringContaining('is required') }]);
  });

  describe('malformed runs: 400 with {row, field, reason} and nothing written', () => {
    const cases: [string, () => request.Test, unknown[]][] = [
      [
        'unknown CSV header',
        () => postCsv('Model,Test,Passed,Colour\nm,t,true,red\n', { runId: '20260102_000000Z' }),
        [{ row: 1, field: null, reason: expect.stringContaining('unknown eval_results.csv header') }],
      ],
      [
        'Passed not true/false',
        () => postCsv(`${CURRENT_HEADER}\n${csvRow()}\n${csvRow({ Passed: 'yes' })}\n`, { runId: '20260102_000001Z' }),
        [{ row: 3, field: 'Passed', reason: 'Passed must be true or false, got "yes"' }],
      ],
      [
        'wrong column count',
        () => postCsv(`${CURRENT_HEADER}\n${csvRow()},extra\n`, { runId: '20260102_000002Z' }),
        [{ row: 2, field: null, reason: expect.stringContaining('expected 21 columns') }],
      ],
      [
        'bad JSON field',
        () => post({ ...run, runId: 'bad-json', outcomes: [run.outcomes[0], { ...run.outcomes[1], tokensInput: -1, passed: 'no' }] }),
        [
          { row: 1, field: 'passed', reason: expect.any(String) },
          { row: 1, field: 'tokensInput', reason: expect.any(String) },
        ],
      ],
      [
        'unknown JSON field and bad run time',
        () => post({ ...run, runId: 'bad-json-2', startedAt: 'yesterday', outcomes: [{ ...run.outcomes[1], colour: 'red' }] }),
        [
          { row: null, field: 'startedAt', reason: expect.stringContaining('ISO-8601') },
          { row: 0, field: 'colour', reason: 'unknown field' },
        ],
      ],
    ];
    it.each(cases)('%s', async (_name, send, problems) => {
      const before = await eventCount(t);
      const res = await send();
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual(expect.arrayContaining(problems));
      expect(res.body.problems).toHaveLength(problems.length);
      expect(await eventCount(t)).toBe(before);
    });

    it('a run with one bad row among good ones writes none of them', async () => {
      const csv = [CURRENT_HEADER, csvRow(), csvRow({ Test: 't2' }), csvRow({ Test: 't3', 'Tokens Total': 'many' })].join('\n');
      const res = await postCsv(csv, { runId: '20260102_000003Z' });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([{ row: 4, field: 'Tokens Total', reason: expect.stringContaining('non-negative integer') }]);
      expect(await t.store.readStream('eval-run-20260102_000003Z')).toEqual([]);
    });
  });

  describe('auth', () => {
    it('no token: 401 with a Bearer challenge, nothing written', async () => {
      const before = await eventCount(t);
      const res = await request(t.http).post('/eval-runs').send({ ...run, runId: 'auth-1' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Bearer');
      const csv = await request(t.http).post('/eval-runs/csv?runId=20260103_000000Z').set('Content-Type', 'text/csv').send(`${CURRENT_HEADER}\n${csvRow()}\n`);
      expect(csv.status).toBe(401);
      expect(await eventCount(t)).toBe(before);
    });

    it('read-only token: 403, nothing written', async () => {
      const before = await eventCount(t);
      expect((await post({ ...run, runId: 'auth-2' }, READ_AUTH)).status).toBe(403);
      expect((await postCsv(`${CURRENT_HEADER}\n${csvRow()}\n`, { runId: '20260103_000001Z' }, READ_AUTH)).status).toBe(403);
      expect(await eventCount(t)).toBe(before);
    });

    it('an unknown token: 401', async () => {
      expect((await post({ ...run, runId: 'auth-3' }, 'Bearer ll_not-a-token')).status).toBe(401);
    });

    it('write token: 201', async () => {
      expect((await post({ ...run, runId: 'auth-4' })).status).toBe(201);
    });
  });

  it('accepts a JSON run far above the 100 kB default body limit', async () => {
    const outcomes = Array.from({ length: 1500 }, (_, i) => ({
      model: `model-${i % 40}`,
      toolFormat: 'tool',
      test: `test-${Math.floor(i / 40)}`,
      passed: i % 3 !== 0,
      logDir: `/home/runner/.local/share/gptme/logs/2026-08-22-gptme-evals-model-${i}-with-a-long-directory-name`,
    }));
    const res = await post({ runId: 'big-json-run', startedAt: '2026-08-23T00:00:00Z', outcomes });
    expect(JSON.stringify(outcomes).length).toBeGreaterThan(200_000);
    expect(res.status).toBe(201);
    expect(res.body.counts.outcomes).toBe(1500);
  });

  it('415 for a CSV body sent as JSON', async () => {
    const res = await request(t.http).post('/eval-runs/csv?runId=20260104_000000Z').set('Authorization', WRITE_AUTH).send({ a: 1 });
    expect(res.status).toBe(415);
  });
});

const REAL_RUN = path.resolve(process.cwd(), '../shared/fixtures/gptme/eval_results/20260822_025022Z/eval_results.csv');
const describeReal = existsSync(REAL_RUN) ? describe : describe.skip;
const realName = existsSync(REAL_RUN)
  ? 'a real gptme eval_results.csv over HTTP (e2e)'
  : 'NOT RUN: the real gptme CSV test needs ../shared/fixtures/gptme, which is absent';

describeReal(realName, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records run 20260822_025022Z with one outcome per data row, then treats a re-send as a replay', async () => {
    const text = readFileSync(REAL_RUN, 'utf8');
    const rows = text.split('\n').filter((line) => line.trim() !== '').length - 1;
    const send = () =>
      request(t.http).post('/eval-runs/csv?runId=20260822_025022Z').set('Authorization', WRITE_AUTH).set('Content-Type', 'text/csv').send(text);
    const first = await send();
    expect(first.status).toBe(201);
    expect(first.body.counts.outcomes).toBe(rows);
    expect(first.body.startedAt).toBe('2026-08-22T02:50:22.000Z');
    expect(await t.store.readStream('eval-run-20260822_025022Z')).toHaveLength(rows + 1);
    const second = await send();
    expect(second.status).toBe(200);
    expect(await eventCount(t)).toBe(rows + 1);
  });
});
