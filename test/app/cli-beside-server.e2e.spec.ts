/**
 * Issue #19: with `npm start` running on the embedded store, every command README.md and docs/ show works from
 * a second terminal (the CLI finds the server's URL in the data directory's lock and goes through its HTTP
 * API), known errors print no stack, and the CLI's lists hold the API's totals with CSV that parses back to
 * the same numbers. PGlite pass only: the point is the embedded store held by the server.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatTokenEntry, generateToken, hashToken } from '../../src/auth/token-hash.js';
import { buildProgram } from '../../src/cli/program.js';
import { documentedCommandPaths, resolveCommand } from '../docs/support/documented-commands.js';
import { storeWorldRuns, writeStoreWorldLogs } from '../drafts/support/store-world.js';
import { buildIfStale, npmStart, type NpmStart } from '../support/npm-start.js';
import { parseCsv } from '../support/parse-csv.js';

const describeInPglitePass = process.env.DATABASE_URL?.trim() ? describe.skip : describe;
const TOKEN = generateToken();
const SECRET = 'a-webhook-secret-of-the-test';

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

describeInPglitePass('the CLI beside `npm start` on the embedded store (PGlite pass only)', () => {
  let dir: string;
  let server: NpmStart | undefined;
  let url: string;
  const ran = new Map<string, Ran>();
  /** Logs of the drafts' failure world and the exported lesson files: under the server's import root, its working directory. */
  const drafted = path.join('test-output', `cli-beside-server-${process.pid}`);

  const program = buildProgram();

  /** `node dist/src/cli/main.js ...` as a second terminal runs it: same data directory, the token in the env. */
  function cli(args: string[], env: Record<string, string> = {}, input?: string, lockRefusal = false): Ran {
    const r = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], {
      env: { PATH: process.env.PATH ?? '', LESSONLOOP_DATA_DIR: dir, LESSONLOOP_TOKEN: TOKEN, ...env },
      encoding: 'utf8',
      ...(input !== undefined ? { input } : {}),
      timeout: 120_000,
    });
    const result = { code: r.status, out: r.stdout, err: r.stderr };
    ran.set(resolveCommand(program, args.filter((a) => /^[a-z][a-z-]*$/.test(a))).path.join(' '), result);
    // Never a stack trace; never the lock refusal (but from `serve`, which is a second server).
    expect({ args, err: r.stderr }).not.toEqual({ args, err: expect.stringMatching(/\n\s+at .+:\d+:\d+/) });
    if (!lockRefusal) expect({ args, err: r.stderr }).not.toEqual({ args, err: expect.stringContaining('in use by another') });
    return result;
  }
  const ok = (args: string[], env?: Record<string, string>, input?: string) => {
    const r = cli(args, env, input);
    expect({ args, code: r.code, err: r.code === 0 ? '' : r.err }).toEqual({ args, code: 0, err: '' });
    return r.out;
  };
  const api = async <T>(route: string): Promise<T> => {
    // spawnSync blocks this process for seconds, past the server's keep-alive timeout, so the pooled socket's close
    // may not have been seen yet: give it a turn of the event loop, and send this idempotent GET again if the
    // server had closed the socket anyway ("other side closed").
    await new Promise((resolve) => setTimeout(resolve, 20));
    const res = await fetch(`${url}${route}`).catch(() => fetch(`${url}${route}`));
    expect([route, res.status]).toEqual([route, 200]);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    buildIfStale();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-cli-beside-'));
    server = npmStart({
      PORT: '0',
      LESSONLOOP_DATA_DIR: dir,
      LESSONLOOP_API_TOKENS: formatTokenEntry('test', ['read', 'write'], hashToken(TOKEN)),
      LESSONLOOP_WEBHOOK_SECRET: SECRET,
      LESSONLOOP_WEBHOOKS_ALLOW_PRIVATE: 'true',
    });
    url = await server.listening;
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(drafted, { recursive: true, force: true });
  });

  it('records its URL in the lock; every documented command goes through it', async () => {
    const lock = JSON.parse(await readFile(path.join(dir, 'pgdata', 'lessonloop.lock'), 'utf8')) as { url?: string };
    expect(lock.url).toMatch(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/);

    // A subscription first, so the lesson import below gives it deliveries to list and send again.
    expect(ok(['webhooks', 'add', `${url}/health`, '--event', 'LessonCreated', '--id', 'hook-1'])).toContain('signing key: ');
    expect(ok(['import', 'results', 'test/fixtures/eval-mini'])).toMatch(/^4 runs new, 0 already recorded, 0 rejected/m);
    expect(ok(['import', 'lessons', 'test/fixtures/lessons-mini/workflow'])).toContain('1 created');
    expect(ok(['exposure', 'import', 'test/fixtures/eval-mini'])).toContain('4 run folder(s)');
    const lessonId = (await api<{ items: { lessonId: string }[] }>('/lessons')).items[0]!.lessonId;

    expect(ok(['lessons', 'list', '--deleted'])).toContain(lessonId);
    expect(ok(['leaderboard'])).toContain('x/glm@z-ai');
    expect(ok(['trends'])).toContain('## flaky (3)');
    expect(ok(['trends', '--rules', 'gptme'])).toContain('Flaky:');
    expect(ok(['audit', 'lesson', lessonId])).toContain(lessonId);
    const defined = ok(['reanalyze', '--confound-window', '48h']);
    const ruleSetId = /Defined rule set (\S+)/.exec(defined)![1]!;
    expect(ok(['reanalyze', '--compare', 'default', ruleSetId])).toContain(`default -> ${ruleSetId}`);
    ok(['effects']);
    expect(JSON.parse(ok(['injection-gate', 'export', '--format', 'gptme'])).summary).toBeDefined();

    expect(ok(['projections', 'status'])).toContain('leaderboard.v1.g1');
    expect(ok(['projections', 'rebuild', 'leaderboard'])).toContain('leaderboard.v1.g2 is now current');
    expect(ok(['projections', 'drop', 'leaderboard.v1.g1'])).toContain('Dropped leaderboard.v1.g1');
    expect(ok(['projections', 'retry', 'trends.v1.g1'])).toContain('nothing to retry');
    const skip = cli(['projections', 'skip', 'trends.v1.g1', '--event', 'e1', '--reason', 'test']);
    expect([skip.code, skip.err]).toEqual([1, expect.stringContaining('409: Projection instance trends.v1.g1 has not stopped at an event')]);

    expect(ok(['webhooks', 'list'])).toContain('hook-1  active');
    const deliveries = JSON.parse(ok(['webhooks', 'deliveries', '--format', 'json'])) as { items: { deliveryId: string }[] };
    expect(deliveries.items.length).toBeGreaterThan(0);
    expect(ok(['webhooks', 'redeliver', deliveries.items[0]!.deliveryId])).toContain('pending again');
    expect(ok(['webhooks', 'key', 'hook-1'], { LESSONLOOP_WEBHOOK_SECRET: SECRET })).toMatch(/^[0-9a-f]{64}\n$/);
    expect(ok(['webhooks', 'remove', 'hook-1'])).toContain('unsubscribed: hook-1');
    expect(ok(['tokens', 'create', 'ci'])).toContain('LESSONLOOP_API_TOKENS');
    expect(ok(['tokens', 'hash', 'ci'], {}, 'some-token\n')).toContain('ci:');
    // `serve` beside the server is refused by the lock, in one line.
    const serve = cli(['serve', '--port', '0'], {}, undefined, true);
    expect([serve.code, serve.err]).toEqual([1, expect.stringMatching(/^lessonloop: The data directory .* is in use by another lessonloop process/)]);

    // ci-gate: the same verdict as the API's, and its exit code (0 pass, 1 fail, 2 nothing to compare).
    const gate = await api<{ verdict: string; family: unknown }>('/eval-runs/20260104_000000Z/ci-gate');
    const judged = cli(['ci-gate', '--run', '20260104_000000Z', '--format', 'json']);
    expect([judged.code, (JSON.parse(judged.out) as { verdict: string }).verdict]).toEqual([{ pass: 0, fail: 1, 'no-data': 2 }[gate.verdict], gate.verdict]);
    const unknownRun = cli(['ci-gate', '--run', 'no-such-run']);
    expect([unknownRun.code, unknownRun.err]).toEqual([2, expect.stringContaining('404')]);

    // Drafts: a failure world's runs over HTTP, its logs read by the server under its import root.
    const logs = path.join(drafted, 'logs');
    await writeStoreWorldLogs(logs);
    for (const run of storeWorldRuns(false)) {
      const outcomes = run.outcomes.map(({ model, test, passed, logDir }) => ({ model, test, passed, logDir }));
      const res = await fetch(`${url}/eval-runs`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ runId: run.runId, startedAt: run.startedAt, outcomes }) });
      expect([run.runId, res.status]).toEqual([run.runId, 201]);
    }
    expect(ok(['drafts', 'detect', '--log-root', logs, '--dry-run'])).toMatch(/only now: 0/);
    expect(ok(['drafts', 'detect', '--log-root', logs])).toMatch(/2 draft\(s\), 2 new/);
    const outside = cli(['drafts', 'detect', '--log-root', os.tmpdir()]);
    expect([outside.code, outside.err]).toEqual([2, expect.stringContaining("outside the server's import root")]);
    const listed = JSON.parse(ok(['drafts', 'list', '--format', 'json'])) as { draftId: string; title: string }[];
    const queue = await api<{ drafts: { draftId: string }[]; total: number }>('/drafts?evidence=false');
    expect([listed.map((d) => d.draftId), listed.length]).toEqual([queue.drafts.map((d) => d.draftId), queue.total]);
    const [first, second] = listed as [{ draftId: string; title: string }, { draftId: string; title: string }];
    expect(ok(['drafts', 'show', first.draftId])).toContain(first.title);
    expect(ok(['drafts', 'accept', first.draftId])).toMatch(new RegExp(`draft ${first.draftId} accepted: lesson \\S+ created`));
    expect(ok(['drafts', 'reject', second.draftId, '--reason', 'too narrow'])).toContain('rejected');
    expect((await api<{ status: string; review: { actor: string } }>(`/drafts/${second.draftId}`)).review.actor).toBe('token:test');
    expect(ok(['drafts', 'export', '--to', path.join(drafted, 'lessons'), '--status', 'accepted'])).toContain('1 lesson file(s) written');
    const shown = await api<{ path: string; file: string }>(`/drafts/${first.draftId}`);
    expect(await readFile(path.join(drafted, 'lessons', shown.path), 'utf8')).toBe(shown.file);

    // Every command path the documentation shows was run above.
    const documented = documentedCommandPaths(program);
    expect(documented.filter((p) => !ran.has(p))).toEqual([]);
  }, 600_000);

  it('a write without the token is refused in one line that says what to set', () => {
    const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'projections', 'retry', 'trends.v1.g1'], {
      env: { PATH: process.env.PATH ?? '', LESSONLOOP_DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(/^lessonloop: the server refused POST .*401.*set LESSONLOOP_TOKEN/)]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it("the CLI's lists hold the API's totals, and their CSV parses back to the API's numbers", async () => {
    const count = (args: string[]) => (JSON.parse(ok([...args, '--format', 'json'])) as unknown[]).length;
    expect(count(['leaderboard'])).toBe((await api<{ total: number }>('/leaderboard')).total);
    expect(count(['leaderboard', '--mode', 'gptme'])).toBe((await api<{ total: number }>('/leaderboard?mode=gptme')).total);
    const trends = await api<{ total: number; items: Record<string, unknown>[] }>('/trends?limit=500');
    expect(count(['trends'])).toBe(trends.total);
    expect(count(['effects'])).toBe((await api<{ total: number }>('/effects')).total);
    expect(count(['lessons', 'list', '--deleted'])).toBe((await api<{ total: number }>('/lessons?includeDeleted=true')).total);
    expect(count(['webhooks', 'list'])).toBe((await api<{ items: unknown[] }>('/webhooks')).items.length);
    const deliveries = JSON.parse(ok(['webhooks', 'deliveries', '--format', 'json'])) as { total: number };
    expect(deliveries.total).toBe((await api<{ total: number }>('/webhooks/deliveries')).total);
    const statuses = JSON.parse(ok(['projections', 'status', '--json'])) as unknown[];
    expect(statuses.length).toBe((await api<{ instances: unknown[] }>('/projections')).instances.length);

    // --limit pages: a note on stderr, never a silent cap.
    const limited = cli(['trends', '--format', 'json', '--limit', '2', '--offset', '1']);
    expect((JSON.parse(limited.out) as unknown[]).length).toBe(2);
    expect(limited.err).toBe(`rows 2-3 of ${trends.total} (--limit and --offset choose others)\n`);

    const board = await api<{ items: Record<string, number | string | null>[] }>('/leaderboard');
    const boardCsv = parseCsv(ok(['leaderboard', '--format', 'csv']));
    expect(boardCsv.map((r) => [r.model, Number(r.pass_rate), Number(r.wilson_lower), Number(r.wilson_upper), Number(r.passes)]))
      .toEqual(board.items.map((r) => [r.model, r.pass_rate, r.wilson_lower, r.wilson_upper, r.passes]));
    const trendsCsv = parseCsv(ok(['trends', '--format', 'csv']));
    const number = (v: string | undefined) => (v === '' || v === undefined ? null : Number(v));
    expect(trendsCsv.map((r) => [r.test, r.label, number(r.baseline_passes), number(r.recent_pass_rate), number(r.p_regression), number(r.flip_rate)]))
      .toEqual(trends.items.map((t) => {
        const recent = t.recent as { pass_rate: number | null };
        return [t.test, t.label, (t.baseline as { passes: number }).passes, recent.pass_rate, t.p_regression, t.flip_rate];
      }));
  }, 300_000);
});
