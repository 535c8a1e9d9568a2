import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('GET /health', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await t?.close();
  });

  it('is 200 with both dependencies up on the test database', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.eventStore).toMatchObject({ status: 'up', kind: t.store.kind, head: null });
    expect(res.body.info.readModelDatabase).toMatchObject({ status: 'up' });
  });

  it('is 503 and names the read-model database when its DataSource is closed', async () => {
    await t.dataSource.destroy();
    const res = await request(t.http).get('/health').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error.readModelDatabase).toMatchObject({ status: 'down' });
    expect(res.body.error.readModelDatabase.message).toMatch(/not connected/);
    expect(res.body.info.eventStore).toMatchObject({ status: 'up' });
  });

  it('is 503 and names the event store when the store is closed', async () => {
    await t.store.close();
    const res = await request(t.http).get('/health').expect(503);
    expect(res.body.error.eventStore).toMatchObject({ status: 'down' });
    expect(res.body.info.readModelDatabase).toMatchObject({ status: 'up' });
  });
});
