/**
 * Webhooks end to end on the store under test: 1,000 events go to a receiver that answers 500 at random and is
 * killed for a while. Every event arrives, the idempotency keys it saw are exactly the event ids, and every
 * request's signature verifies with the key the API gave.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import request from 'supertest';
import { newEvent } from '../../contracts/catalogue.js';
import { SIGNATURE_HEADER, verifySignature } from '../../src/webhooks/signing.js';
import { API_TOKENS, eventually, READ_AUTH, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const EVENTS = 1000;

/** A receiver that fails about 30% of requests (seeded) and can be stopped and started on the same port. */
class FlakyReceiver {
  readonly keys = new Set<string>();
  readonly accepted = new Set<string>();
  badSignatures = 0;
  requests = 0;
  failures = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private seed = 42;
  port = 0;
  key = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req).then((status) => res.writeHead(status).end()));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Kill: close the listener and cut every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests += 1;
    if (!verifySignature(this.key, String(req.headers[SIGNATURE_HEADER]), body, Math.floor(Date.now() / 1000))) {
      this.badSignatures += 1;
      return 401;
    }
    const key = String(req.headers['idempotency-key']);
    this.keys.add(key);
    if (this.random() < 0.3) {
      this.failures += 1;
      return 500;
    }
    this.accepted.add(key);
    return 204;
  }
}

describe('webhook delivery', () => {
  let t: TestApp;
  const receiver = new FlakyReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp({
      env: {
        LESSONLOOP_API_TOKENS: API_TOKENS,
        LESSONLOOP_WEBHOOK_SECRET: 'webhook-test-secret-0123456789',
        LESSONLOOP_WEBHOOKS_ALLOW_PRIVATE: 'true',
        LESSONLOOP_WEBHOOK_RETRY_BASE_MS: '20',
        LESSONLOOP_WEBHOOK_RETRY_MAX_MS: '300',
        LESSONLOOP_WEBHOOK_MAX_ATTEMPTS: '1000',
        LESSONLOOP_WEBHOOK_TIMEOUT_MS: '2000',
      },
    });
  });

  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  it('refuses a subscription with an unknown event type, naming the field, and writes nothing', async () => {
    const res = await request(t.http)
      .post('/webhooks')
      .set('Authorization', WRITE_AUTH)
      .send({ url: `http://127.0.0.1:${receiver.port}/hook`, eventTypes: ['NoSuchEvent'] })
      .expect(400);
    expect(res.body.problems).toEqual([expect.objectContaining({ field: 'eventTypes.0' })]);
    const { rows } = await t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE type LIKE 'Webhook%'`);
    expect(rows[0]!.n).toBe(0);
  });

  it('delivers each of 1,000 events at least once through 500s and a killed receiver, signed', async () => {
    const subscribed = await request(t.http)
      .post('/webhooks')
      .set('Authorization', WRITE_AUTH)
      .send({ subscriptionId: 'flaky', url: `http://127.0.0.1:${receiver.port}/hook`, eventTypes: ['ExternalChangeObserved'] })
      .expect(201);
    receiver.key = subscribed.body.signingKey;

    const ids: string[] = [];
    const appends = Array.from({ length: EVENTS }, (_, i) => {
      const event = newEvent(
        'ExternalChangeObserved',
        { changeId: `c${i}`, kind: 'harness', subject: 'harness', description: `change ${i}` },
        { occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), source: 'webhook-test' },
      );
      ids.push(event.eventId);
      return { streamId: `external-change-webhook-${i}`, events: [event], expectedRevision: 'no_stream' as const };
    });
    for (let i = 0; i < appends.length; i += 250) await t.store.appendMany(appends.slice(i, i + 250));

    await eventually(async () => expect(receiver.accepted.size).toBeGreaterThan(200), 60_000, 50);
    await receiver.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await receiver.start();

    await eventually(async () => expect(receiver.accepted.size).toBe(EVENTS), 120_000, 100);
    expect([...receiver.keys].sort()).toEqual([...ids].sort());
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.failures).toBeGreaterThan(100);

    const delivered = await eventually(async () => {
      const res = await request(t.http).get('/webhooks/deliveries?status=delivered&limit=1').set('Authorization', READ_AUTH).expect(200);
      expect(res.body.total).toBe(EVENTS);
      return res.body;
    });
    expect(delivered.items[0]).toMatchObject({ subscriptionId: 'flaky', status: 'delivered', eventType: 'ExternalChangeObserved' });
    const retried = await t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE attempts > 1`);
    expect(retried.rows[0]!.n).toBeGreaterThan(100);
    const list = await request(t.http).get('/webhooks').set('Authorization', READ_AUTH).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ subscriptionId: 'flaky', active: true, deliveries: { pending: 0, delivered: EVENTS, failed: 0 } })]);
  }, 180_000);

  it('redelivers a delivered event on request, with the same idempotency key', async () => {
    const page = await request(t.http).get('/webhooks/deliveries?limit=1').set('Authorization', READ_AUTH).expect(200);
    const { deliveryId, eventId } = page.body.items[0];
    const before = receiver.requests;
    await request(t.http).post(`/webhooks/deliveries/${deliveryId}/redeliver`).set('Authorization', WRITE_AUTH).expect(200);
    await eventually(async () => {
      const res = await request(t.http).get(`/webhooks/deliveries?eventId=${eventId}`).set('Authorization', READ_AUTH).expect(200);
      expect(res.body.items[0]).toMatchObject({ status: 'delivered', redeliveredBy: 'token:writer' });
      expect(receiver.requests).toBeGreaterThan(before);
    }, 30_000);
    expect(receiver.keys.size).toBe(EVENTS);
    await request(t.http).post('/webhooks/deliveries/00000000-0000-4000-8000-000000000000/redeliver').set('Authorization', WRITE_AUTH).expect(404);
  });
});
