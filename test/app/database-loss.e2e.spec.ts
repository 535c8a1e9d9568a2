/**
 * The database goes away under a running server (PostgreSQL only: the embedded store lives in the server's own
 * process). A TCP proxy the test controls sits between the server and PostgreSQL, so the connection is cut
 * without touching the shared server. While it is cut, reads and writes answer 503 with Retry-After; once it is
 * back the server serves within 5 s, with what was written before still there and projected. A database
 * recreated empty is named as such on /health and the routes, and a restored one is served without a restart.
 */
import pg from 'pg';
import { ensureCompiled } from '../support/compiled.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { API_TOKENS, csvRow, CURRENT_HEADER, WRITE_AUTH } from '../ingest-http/http-test-support.js';

const databaseUrl = process.env.DATABASE_URL?.trim();
const describeOnPostgres = databaseUrl ? describe : describe.skip;
const name = `lessonloop_loss_${process.pid}`;

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const postRun = (url: string, runId: string, test: string) =>
  fetch(`${url}/eval-runs/csv?runId=${runId}`, {
    method: 'POST',
    headers: { authorization: WRITE_AUTH, 'content-type': 'text/csv' },
    body: `${CURRENT_HEADER}\n${csvRow({ Test: test })}\n`,
  });

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many runs the eval-runs projection lists (GET /eval-runs reads its read model). */
const projectedRuns = async (url: string): Promise<number | undefined> => {
  const response = await fetch(`${url}/eval-runs`);
  if (response.status !== 200) return undefined;
  return ((await response.json()) as { items: unknown[] }).items.length;
};

async function expectUnavailable(response: Response, error: string, retryAfter: number): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe(String(retryAfter));
  expect(await response.json()).toMatchObject({ error, retryAfter });
}

describeOnPostgres('database loss while serving (PostgreSQL only: needs DATABASE_URL)', () => {
  let proxy: TcpProxy;
  let server: ServerProcess;
  let url: string;

  beforeAll(async () => {
    await ensureCompiled();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin(`DROP DATABASE IF EXISTS ${name}_backup`);
    await admin(`CREATE DATABASE ${name}`);
    const target = new URL(databaseUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(databaseUrl!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    viaProxy.pathname = `/${name}`;
    server = spawnServer({ env: { DATABASE_URL: viaProxy.toString(), LESSONLOOP_API_TOKENS: API_TOKENS } });
    url = await server.listening;
  }, 240_000);

  afterAll(async () => {
    await server?.kill();
    await proxy?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${name}_backup WITH (FORCE)`).catch(() => undefined);
  });

  it('answers 503 with Retry-After while the connection is cut, and serves within 5 s of its return, nothing lost', async () => {
    expect((await postRun(url, '20260101_000000Z', 'before-cut')).status).toBe(201);
    await until('the run listed', async () => ((await projectedRuns(url)) === 1 ? true : undefined), 30_000);

    proxy.cut();
    await expectUnavailable(await fetch(`${url}/eval-runs/20260101_000000Z`), 'database unavailable', 5);
    await expectUnavailable(await fetch(`${url}/eval-runs`), 'database unavailable', 5);
    await expectUnavailable(await postRun(url, '20260102_000000Z', 'during-cut'), 'database unavailable', 5);
    expect((await fetch(`${url}/health`)).status).toBe(503);
    // Processors at the head touch the database only on a wake-up or their poll (1 s): hold the cut past it, so
    // they meet it whatever their read interval and idle commits left them doing when it began.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    proxy.restore();
    const back = Date.now();
    await until('a read answered 200 again', async () => ((await fetch(`${url}/eval-runs/20260101_000000Z`)).status === 200 ? true : undefined), 5_000);
    expect(Date.now() - back).toBeLessThan(5_000);
    expect((await postRun(url, '20260102_000000Z', 'after-cut')).status).toBe(201);
    expect(await until('both runs listed', async () => ((await projectedRuns(url)) === 2 ? 2 : undefined), 30_000)).toBe(2);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // The projections retried while the database was away, and say so now that it is back.
    const retried = await until('projections counted their retries', async () => {
      const { instances } = (await (await fetch(`${url}/projections`)).json()) as { instances: { retries: number; retry: unknown }[] };
      return instances.some((i) => i.retries > 0) && instances.every((i) => i.retry === null) ? instances : undefined;
    }, 30_000);
    expect(retried.length).toBeGreaterThan(0);
  }, 120_000);

  it('says a database recreated empty has no schema, on /health and the routes, and serves a restored one', async () => {
    // A backup to restore later: a copy made while the server is cut off (a template must have no sessions).
    proxy.cut();
    await admin(`CREATE DATABASE ${name}_backup TEMPLATE ${name}`);
    await admin(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${name}`);
    proxy.restore();

    const health = await until('/health names the missing schema', async () => {
      const response = await fetch(`${url}/health`);
      const body = (await response.json()) as { error?: { databaseSchema?: { problem?: string } } };
      return response.status === 503 && body.error?.databaseSchema?.problem === 'database schema missing' ? body : undefined;
    }, 10_000);
    expect(health.error!.databaseSchema).toMatchObject({ status: 'down', missing: ['schema_migrations', 'events'] });
    await expectUnavailable(await fetch(`${url}/eval-runs`), 'database schema missing', 30);
    await expectUnavailable(await postRun(url, '20260103_000000Z', 'on-empty'), 'database schema missing', 30);

    proxy.cut();
    await admin(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${name} TEMPLATE ${name}_backup`);
    proxy.restore();
    await until('the restored run served', async () => ((await fetch(`${url}/eval-runs/20260101_000000Z`)).status === 200 ? true : undefined), 5_000);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await postRun(url, '20260103_000000Z', 'after-restore')).status).toBe(201);
    expect(await until('three runs listed', async () => ((await projectedRuns(url)) === 3 ? 3 : undefined), 30_000)).toBe(3);
  }, 120_000);
});
