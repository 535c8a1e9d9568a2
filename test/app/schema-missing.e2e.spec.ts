/**
 * A database without lessonloop's tables (recreated empty) is named as such, on both stores: /health says
 * `database schema missing` with the tables it lacks, and the routes answer 503 with Retry-After instead of a
 * bare 500.
 */
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WRITE_AUTH, API_TOKENS, CURRENT_HEADER, csvRow } from '../ingest-http/http-test-support.js';

describe('database schema missing', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
  });
  afterEach(() => t?.close());

  it('is named on /health and answered 503 with Retry-After on reads and writes', async () => {
    // What a database recreated empty looks like from here: no table at all.
    await t.sql.query('DROP SCHEMA public CASCADE');
    await t.sql.query('CREATE SCHEMA public');
    const health = await request(t.http).get('/health').expect(503);
    expect(health.body.error.databaseSchema).toMatchObject({ status: 'down', problem: 'database schema missing', missing: ['schema_migrations', 'events'] });

    const read = await request(t.http).get('/eval-runs/20260101_000000Z').expect(503);
    expect(read.headers['retry-after']).toBe('30');
    expect(read.body).toMatchObject({ error: 'database schema missing', retryAfter: 30 });
    expect(read.body.message).toMatch(/no schema_migrations, events table/);

    const write = await request(t.http)
      .post('/eval-runs/csv?runId=20260101_000000Z')
      .set('Authorization', WRITE_AUTH)
      .set('Content-Type', 'text/csv')
      .send(`${CURRENT_HEADER}\n${csvRow()}\n`)
      .expect(503);
    expect(write.body).toMatchObject({ error: 'database schema missing' });
  });

  it('reports the schema up on a migrated database', async () => {
    const health = await request(t.http).get('/health').expect(200);
    expect(health.body.info.databaseSchema).toMatchObject({ status: 'up' });
  });
});
