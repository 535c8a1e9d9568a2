/**
 * `npm start` on an unchanged checkout: prestart finds dist/ up to date and runs neither tsc nor the dashboard
 * bundle, and the server reaches /health 200 (PGlite pass only: it starts without DATABASE_URL).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildIfStale, npmStart, type NpmStart } from '../support/npm-start.js';

const describeInPglitePass = process.env.DATABASE_URL?.trim() ? describe.skip : describe;

describeInPglitePass('npm start (PGlite pass only: the server runs on the embedded store)', () => {
  let dir: string;
  let server: NpmStart | undefined;
  beforeAll(async () => {
    buildIfStale();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-npm-start-'));
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reaches /health 200 on an unchanged checkout without running tsc', async () => {
    const stamp = (await stat('dist/.build-stamp-tsc')).mtimeMs;
    server = npmStart({ PORT: '0', LESSONLOOP_DATA_DIR: dir });
    const url = await server.listening;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(server.output()).toContain('build: up to date, nothing compiled (tsc not run)');
    expect(server.output()).not.toContain('compiled with tsc');
    expect((await stat('dist/.build-stamp-tsc')).mtimeMs).toBe(stamp);
    expect(server.output()).toMatch(/listening on port \d+, every interface \(http:\/\/localhost:\d+\)/);
    // A handful of start-up lines, not one per module and route.
    expect(server.output().split('\n').filter((l) => l.startsWith('{')).length).toBeLessThan(10);
  });
});
