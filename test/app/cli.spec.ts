import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Command } from 'commander';
import request from 'supertest';
import { newEvent } from '../../contracts/catalogue.js';
import { startServer } from '../../src/bootstrap/create-app.js';
import { register as registerServe } from '../../src/cli/commands/serve.command.js';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../../src/cli/run-cli.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';

/** Runs fn with these environment variables set (undefined = unset), restoring the old values after. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

function captureStderr() {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

describe('lessonloop CLI', () => {
  it('lists serve among the registered commands', () => {
    expect(buildProgram().commands.map((c) => c.name())).toContain('serve');
  });

  it('stops on bad configuration with one message listing each problem, exit code 1, no stack trace', async () => {
    const stderr = captureStderr();
    const code = await withEnv({ DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'loud' }, () =>
      runCli(['node', 'lessonloop', 'serve', '--port', 'not-a-port'], stderr),
    );
    expect(code).toBe(1);
    const text = stderr.text();
    expect(text).toMatch(/^lessonloop: Invalid configuration:/);
    expect(text).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(text).toContain('LOG_LEVEL:');
    expect(text).toContain('PORT:');
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('returns a non-zero code for an unknown command without throwing', async () => {
    const stderr = captureStderr();
    const code = await runCli(['node', 'lessonloop', 'no-such-command'], stderr);
    expect(code).not.toBe(0);
    expect(stderr.text()).toContain("unknown command 'no-such-command'");
  });

  it('says in one line when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const stderr = captureStderr();
      const code = await withEnv({ DATABASE_URL: undefined, LESSONLOOP_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }, () =>
        runCli(['node', 'lessonloop', 'serve', '--port', String(port)], stderr),
      );
      expect(code).toBe(1);
      expect(stderr.text()).toBe(`lessonloop: Port ${port} is already in use; set PORT (or --port) to another one\n`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('says in one line when LESSONLOOP_HOST is not an address of this machine', async () => {
    const stderr = captureStderr();
    const code = await withEnv({ DATABASE_URL: undefined, LESSONLOOP_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', LESSONLOOP_HOST: '192.0.2.1' }, () =>
      runCli(['node', 'lessonloop', 'serve', '--port', '0'], stderr),
    );
    expect(code).toBe(1);
    expect(stderr.text()).toBe(
      'lessonloop: LESSONLOOP_HOST=192.0.2.1 is not an address of this machine; set it to one of its addresses, or unset it to listen on every interface\n',
    );
  });

  describe('serve on the embedded database with no DATABASE_URL', () => {
    let dataDir: string;
    const started: INestApplication[] = [];

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-serve-'));
    });

    afterAll(async () => {
      for (const app of started) await app.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    });

    async function serve(): Promise<INestApplication> {
      const program = new Command('lessonloop').exitOverride();
      let app: INestApplication | undefined;
      registerServe(program, async (config) => {
        app = await startServer(config, { shutdownHooks: false });
        started.push(app);
      });
      await withEnv({ DATABASE_URL: undefined, LESSONLOOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: undefined }, () =>
        program.parseAsync(['node', 'lessonloop', 'serve', '--port', '0']),
      );
      return app!;
    }

    it('answers /health with 200, and a restart reopens the same data directory with its events', async () => {
      const first = await serve();
      expect(first.getHttpServer().address().port).toBeGreaterThan(0);
      await request(first.getHttpServer()).get('/health').expect(200);
      const store = first.get<EventStore>(EVENT_STORE);
      await store.appendToStream('cli-spec-1', [
        newEvent(
          'ExternalChangeObserved',
          { changeId: 'cli-spec', kind: 'other', subject: 'restart', description: 'written before a restart' },
          { occurredAt: new Date().toISOString(), source: 'test' },
        ),
      ]);
      await first.close();

      const second = await serve();
      const res = await request(second.getHttpServer()).get('/health').expect(200);
      expect(res.body.info.eventStore.head).not.toBeNull();
      const events = await second.get<EventStore>(EVENT_STORE).readStream('cli-spec-1');
      expect(events.map((e) => e.type)).toEqual(['ExternalChangeObserved']);
      await second.close();
    });
  });
});
