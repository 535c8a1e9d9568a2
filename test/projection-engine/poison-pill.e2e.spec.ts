/**
 * A poison pill: an event whose values the database refuses every time (a test name of 4,000 random characters
 * makes the test-history row too large for its btree index: SQLSTATE 54000, raised alike by PostgreSQL and
 * PGlite). Forced into the log directly, bypassing ingest validation. The instance must stop at once, `failed`
 * at that event, visible on /projections, /health and /metrics, never retried as if the database were down; an
 * operator's `skip` with a reason lets it go on, and the skip shows in status (HTTP and CLI) and in the log as an
 * audit record naming who ran it. The same name sent through ingest is refused with a 400 naming the field.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { HealthIndicatorService } from '@nestjs/terminus';
import { comparePositions, type RecordedEvent } from '../../contracts/envelope.js';
import { register as registerProjections } from '../../src/cli/commands/projections.command.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import { ProjectionsHealthIndicator } from '../../src/health/projections.health.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import type { InstanceStatus } from '../../src/projection-engine/status/status.js';
import { API_TOKENS, csvRow, CURRENT_HEADER, eventually, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const INSTANCE = 'test-history.v1.g1';

describe('a poison-pill event (both stores: PostgreSQL and PGlite both refuse an oversize btree row with 54000)', () => {
  let t: TestApp;
  let engine: ProjectionEngine;
  let raw: SqlEventStore;

  beforeAll(async () => {
    // The app projects every read model itself (it serves HTTP); the test watches its engine.
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    engine = t.app.get(ProjectionEngine);
    raw = new SqlEventStore(t.sql);
  }, 120_000);

  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  const status = async (): Promise<InstanceStatus> => (await engine.status('test-history')).find((s) => s.instanceId === INSTANCE)!;
  const postRun = (runId: string, test: string) =>
    request(t.http)
      .post(`/eval-runs/csv?runId=${runId}`)
      .set('Authorization', WRITE_AUTH)
      .set('Content-Type', 'text/csv')
      .send(`${CURRENT_HEADER}\n${csvRow({ Test: test })}\n`)
      .expect(201);
  // Eventually: on PostgreSQL the store reads below the transaction horizon, which an open batch holds back.
  const outcomeOf = (runId: string): Promise<RecordedEvent> =>
    eventually(async () => {
      const found = (await t.store.readAll()).find((e) => e.type === 'TestOutcomeRecorded' && JSON.stringify(e.data).includes(runId));
      if (!found) throw new Error(`no outcome of ${runId} readable yet`);
      return found;
    });

  it('refuses the same name at ingest with a 400 naming the field, and appends nothing', async () => {
    const before = (await t.store.readAll()).length;
    const refused = await request(t.http)
      .post('/eval-runs/csv?runId=20251231_000000Z')
      .set('Authorization', WRITE_AUTH)
      .set('Content-Type', 'text/csv')
      .send(`${CURRENT_HEADER}\n${csvRow({ Test: randomBytes(3000).toString('base64') })}\n`)
      .expect(400);
    expect(JSON.stringify(refused.body)).toMatch(/"field":"Test".*at most 768 bytes/);
    expect((await t.store.readAll()).length).toBe(before);
  });

  it('stops the instance at the event within one batch, on /projections, /health and /metrics; skip lets it go on', async () => {
    await postRun('20260101_000000Z', 'before');
    await eventually(async () => expect((await status()).eventsProcessed).toBeGreaterThan(0));

    // The poison pill, appended to the log as history might hold it, then a good event behind it.
    const model = await outcomeOf('20260101_000000Z');
    const poison = {
      eventId: randomUUID(),
      type: model.type,
      schemaVersion: model.schemaVersion,
      data: { ...(model.data as Record<string, unknown>), test: randomBytes(3000).toString('base64') },
      metadata: model.metadata,
    };
    await raw.appendToStream('poison-run', [poison]);
    await postRun('20260102_000000Z', 'after');
    const behind = await outcomeOf('20260102_000000Z');

    const failed = await eventually(async () => {
      const s = await status();
      expect(s.state).toBe('failed');
      return s;
    });
    expect(failed.error).toMatchObject({ eventId: poison.eventId, eventType: 'TestOutcomeRecorded', sqlState: '54000' });
    expect(failed.error!.message).toMatch(/index row size \d+ exceeds .* maximum/);
    expect(failed.error!.position).toEqual({ commit: expect.any(String), prepare: expect.any(String) });
    // Stopped at the first attempt: one failure, never retried as a transient error.
    expect(failed).toMatchObject({ failures: 1, retries: 0, retry: null });

    const health = await request(t.http).get('/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.info.projections.stopped).toContainEqual(
      expect.objectContaining({ instanceId: INSTANCE, state: 'failed', eventId: poison.eventId, sqlState: '54000' }),
    );
    const unhealthy = new ProjectionsHealthIndicator(
      t.sql,
      loadAppConfig({ LESSONLOOP_HEALTH_FAILED_PROJECTIONS: 'unhealthy' }),
      new HealthIndicatorService(),
    );
    expect(await unhealthy.isHealthy()).toMatchObject({ projections: { status: 'down' } });

    const metrics = (await request(t.http).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(new RegExp(`lessonloop_projection_failures_total\\{instance="${INSTANCE.replace(/\./g, '\\.')}"[^}]*\\} 1`));
    expect(metrics).toMatch(new RegExp(`lessonloop_projection_state\\{instance="${INSTANCE.replace(/\./g, '\\.')}"[^}]*state="failed"\\} 1`));

    // Only the event it stopped at can be skipped, and only with a reason.
    await request(t.http).post(`/projections/instances/${INSTANCE}/skip`).set('Authorization', WRITE_AUTH).send({ eventId: behind.eventId, reason: 'x' }).expect(409);
    await request(t.http).post(`/projections/instances/${INSTANCE}/skip`).set('Authorization', WRITE_AUTH).send({ eventId: poison.eventId, reason: ' ' }).expect(400);
    const skipped = await request(t.http)
      .post(`/projections/instances/${INSTANCE}/skip`)
      .set('Authorization', WRITE_AUTH)
      .send({ eventId: poison.eventId, reason: 'test name of 4,000 characters, imported before names had a limit' })
      .expect(202);
    expect(skipped.body).toMatchObject({ instanceId: INSTANCE, eventId: poison.eventId, error: expect.stringMatching(/index row size/) });

    const resumed = await eventually(async () => {
      const s = await status();
      expect(s.state).toBe('live');
      const at = { commit: BigInt(s.position!.commit), prepare: BigInt(s.position!.prepare) };
      expect(comparePositions(at, behind.position)).toBeGreaterThanOrEqual(0);
      return s;
    });
    expect(resumed.skipped).toEqual([
      expect.objectContaining({ eventId: poison.eventId, reason: 'test name of 4,000 characters, imported before names had a limit', eventType: 'TestOutcomeRecorded' }),
    ]);
    const rows = await t.sql.query<{ test: string }>(`SELECT test FROM eval_test_history WHERE instance_id = $1 ORDER BY test`, [INSTANCE]);
    expect(rows.rows.map((r) => r.test)).toEqual(['after', 'before']);
    // The other read models the name broke (trends keys by test too) are skipped from the command line.
    const others = (await engine.status()).filter((s) => s.state === 'failed');
    for (const other of others) {
      expect(other.error).toMatchObject({ eventId: poison.eventId, sqlState: '54000' });
      const said = await runCommandOnApp([registerProjections], t.app, [
        'projections', 'skip', other.instanceId, '--event', poison.eventId, '--reason', 'oversize test name',
      ]);
      expect(said).toContain(`${other.instanceId} passes over event ${poison.eventId}`);
    }
    await eventually(async () => expect((await engine.status()).filter((s) => s.state !== 'live' && s.state !== 'retired')).toEqual([]));
    expect((await request(t.http).get('/health').expect(200)).body.status).toBe('ok');

    const listed = (await request(t.http).get('/projections?name=test-history').expect(200)).body.instances[0];
    expect(listed.skipped[0]).toMatchObject({ eventId: poison.eventId });
    const printed = await runCommandOnApp([registerProjections], t.app, ['projections', 'status']);
    expect(printed).toContain(`${INSTANCE} skipped event ${poison.eventId} (TestOutcomeRecorded`);
    expect(printed).toContain('imported before names had a limit');

    // The audit trail: every skip is an event of the log with the operator's reason, the error and who ran it.
    const skipEvents = (await t.store.readAll()).filter((e) => e.type === 'ProjectionEventSkipped');
    expect(skipEvents.map((e) => (e.data as { instanceId: string }).instanceId).sort()).toEqual([INSTANCE, ...others.map((o) => o.instanceId)].sort());
    const httpSkip = skipEvents.find((e) => (e.data as { instanceId: string }).instanceId === INSTANCE)!;
    expect(httpSkip.data).toMatchObject({ eventId: poison.eventId, reason: 'test name of 4,000 characters, imported before names had a limit', error: expect.stringMatching(/index row size/) });
    expect(httpSkip.metadata).toMatchObject({ source: 'operator', actor: 'token:writer' });
  }, 120_000);
});
