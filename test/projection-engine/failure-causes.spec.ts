/**
 * What a projection does with a database error depends on its cause: values the database will refuse again
 * stop the instance at the event; anything the database may do later is retried. And a missing table is a
 * state of its own (both stores: the table is dropped under a running app).
 */
import request from 'supertest';
import { classifyFailure } from '../../src/projection-engine/processing/failures.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { API_TOKENS, csvRow, CURRENT_HEADER, eventually, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createTestApp } from '../support/test-app.js';

const withState = (code: string) => Object.assign(new Error(`SQLSTATE ${code}`), { code });

describe('classifyFailure', () => {
  it.each([
    ['54000', 'index row too large'],
    ['54001', 'statement too complex'],
    ['22001', 'value too long'],
    ['22021', 'invalid byte sequence for encoding'],
    ['22003', 'numeric value out of range'],
    ['22P02', 'invalid text representation'],
    ['23505', 'unique violation'],
    ['23514', 'check violation'],
  ])('%s (%s) is refused: the event stops the instance', (code) => {
    expect(classifyFailure(withState(code))).toBe('refused');
    expect(classifyFailure(new Error('wrapped', { cause: withState(code) }))).toBe('refused');
  });

  it.each([
    ['40P01', 'deadlock'],
    ['40001', 'serialization failure'],
    ['08006', 'connection failure'],
    ['53300', 'too many connections'],
    ['53100', 'disk full'],
    ['57P01', 'admin shutdown'],
    ['57P03', 'cannot connect now'],
  ])('%s (%s) is transient: retried', (code) => {
    expect(classifyFailure(withState(code))).toBe('transient');
  });

  it('treats a lost connection as transient, a missing table as its own cause, anything else as other', () => {
    expect(classifyFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyFailure(withState('42P01'))).toBe('missing-relation');
    expect(classifyFailure(withState('42601'))).toBe('other');
    expect(classifyFailure(new TypeError('x is undefined'))).toBe('other');
  });
});

describe('a read-model table dropped under a running app', () => {
  it('puts the instance in state relation-missing, retrying, with the error and the attempts counted', async () => {
    const t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    try {
      const engine = t.app.get(ProjectionEngine);
      await t.sql.query('DROP TABLE eval_test_history');
      await request(t.http)
        .post('/eval-runs/csv?runId=20260101_000000Z')
        .set('Authorization', WRITE_AUTH)
        .set('Content-Type', 'text/csv')
        .send(`${CURRENT_HEADER}\n${csvRow()}\n`)
        .expect(201);
      const missing = await eventually(async () => {
        const s = (await engine.status('test-history'))[0]!;
        expect(s.state).toBe('relation-missing');
        expect(s.retry!.attempts).toBeGreaterThanOrEqual(2);
        return s;
      });
      expect(missing.retry).toMatchObject({ cause: 'missing-relation', sqlState: '42P01', message: expect.stringMatching(/eval_test_history/) });
      expect(missing.error).toBeNull();
      expect(missing.retries).toBeGreaterThanOrEqual(2);
      const health = await request(t.http).get('/health').expect(200);
      expect(health.body.info.projections.stopped).toContainEqual(expect.objectContaining({ instanceId: missing.instanceId, state: 'relation-missing' }));
      const metrics = (await request(t.http).get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/lessonloop_projection_state\{instance="test-history\.v1\.g1"[^}]*state="relation-missing"\} 1/);
      expect(metrics).toMatch(/lessonloop_projection_retries_total\{instance="test-history\.v1\.g1"[^}]*\} [1-9]/);
    } finally {
      await t.close();
    }
  }, 120_000);
});
