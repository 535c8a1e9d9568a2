import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { API_TOKENS, eventCount, eventually, READ_AUTH, WRITE_AUTH } from './http-test-support.js';

const changes = [
  { changeId: 'gpt4o-snapshot', kind: 'model-api', subject: 'openai/gpt-4o', description: 'Alias moved to a new snapshot', occurredAt: '2026-03-01T00:00:00Z' },
  { kind: 'harness', subject: 'gptme', description: 'v0.33.0 released', occurredAt: '2026-03-05T12:00:00+02:00' },
  { kind: 'infra', subject: 'ci-runner', description: 'Runner image updated', occurredAt: '2026-03-03T00:00:00Z' },
  { kind: 'model-api', subject: 'openai/gpt-4o', description: 'Rate limits lowered', occurredAt: '2026-03-07T00:00:00Z' },
];

describe('/external-changes (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (body: unknown, auth = WRITE_AUTH) => request(t.http).post('/external-changes').set('Authorization', auth).send(body as object);
  const list = async (query = '') => {
    const res = await request(t.http).get(`/external-changes${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: Record<string, unknown>[]; nextCursor: string | null };
  };

  it('records changes (201) and reads them back newest first', async () => {
    const before = await eventCount(t);
    const first = await post(changes[0]);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'recorded', changeId: 'gpt4o-snapshot', streamId: 'external-change-gpt4o-snapshot' });
    for (const change of changes.slice(1)) expect((await post(change)).status).toBe(201);
    expect(await eventCount(t)).toBe(before + 4);

    const page = await eventually(async () => {
      const p = await list();
      expect(p.items).toHaveLength(4);
      return p;
    });
    expect(page.items.map((c) => c.description)).toEqual([
      'Rate limits lowered',
      'v0.33.0 released',
      'Runner image updated',
      'Alias moved to a new snapshot',
    ]);
    expect(page.items[3]).toMatchObject({
      changeId: 'gpt4o-snapshot',
      kind: 'model-api',
      subject: 'openai/gpt-4o',
      occurredAt: '2026-03-01T00:00:00.000Z',
      source: 'api',
      actor: 'token:writer',
      eventId: first.body.eventId,
    });
    expect(page.items[1]!.occurredAt).toBe('2026-03-05T10:00:00.000Z');
  });

  it('a re-send is a no-op (200), with or without an explicit changeId; other content under an id is 409', async () => {
    const before = await eventCount(t);
    expect((await post(changes[0])).body.status).toBe('already-recorded');
    const derived = await post(changes[1]);
    expect(derived.status).toBe(200);
    expect(derived.body.status).toBe('already-recorded');
    const conflict = await post({ ...changes[0], description: 'something else' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.differences).toEqual(['description differs']);
    expect(await eventCount(t)).toBe(before);
  });

  it('filters by subject, kind and time, and pages', async () => {
    expect((await list('?subject=openai/gpt-4o')).items.map((c) => c.description)).toEqual([
      'Rate limits lowered',
      'Alias moved to a new snapshot',
    ]);
    expect((await list('?kind=infra')).items.map((c) => c.subject)).toEqual(['ci-runner']);
    expect((await list('?from=2026-03-02T00:00:00Z&to=2026-03-07T00:00:00Z')).items.map((c) => c.kind)).toEqual(['harness', 'infra']);
    const first = await list('?limit=3');
    expect(first.items).toHaveLength(3);
    const second = await list(`?limit=3&cursor=${first.nextCursor}`);
    expect(second.items.map((c) => c.changeId)).toEqual(['gpt4o-snapshot']);
    expect(second.nextCursor).toBeNull();
    expect((await request(t.http).get('/external-changes?kind=weather')).status).toBe(400);
  });

  it('validates the body (400 naming fields) and needs the write scope', async () => {
    const before = await eventCount(t);
    const bad = await post({ kind: 'weather', subject: '', occurredAt: 'soon', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['description', 'extra', 'kind', 'occurredAt', 'subject']);
    expect((await request(t.http).post('/external-changes').send(changes[2])).status).toBe(401);
    expect((await post({ ...changes[2], description: 'x' }, READ_AUTH)).status).toBe(403);
    expect(await eventCount(t)).toBe(before);
  });
});
