/**
 * Two processes lock one directory at the same instant, 50 times: exactly one wins every time. Rounds start
 * from no lock, from a stale lock of a dead process and from an old empty lock, so both the exclusive create
 * and the takeover of a stale lock are raced. The contenders stay up between rounds, so a round costs
 * milliseconds, not process starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { LOCK_FILE_NAME } from '../../src/database/directory-lock.js';
import { compiledPath, ensureCompiled } from '../support/compiled.js';

interface Contender {
  child: ChildProcess;
  pid: number;
  next(round: number, key: 'won' | 'released' | 'ready'): Promise<Record<string, unknown>>;
  send(command: Record<string, unknown>): void;
}

function startContender(): Contender {
  const child = spawn(process.execPath, [compiledPath('test/database/children/lock-contender.child.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const seen: Record<string, unknown>[] = [];
  const waiting: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    const waiter = waiting.find((w) => w.match(message));
    if (waiter) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(message);
    } else seen.push(message);
  });
  return {
    child,
    pid: child.pid!,
    send: (command) => child.stdin!.write(`${JSON.stringify(command)}\n`),
    next(round, key) {
      const match = (m: Record<string, unknown>) => (key === 'ready' ? m.ready === true : m.round === round && key in m);
      const already = seen.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`contender ${child.pid}: no ${key} for round ${round}`)), 20_000);
        waiting.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

const ROUNDS = 50;

describe('directory lock race between two processes', () => {
  let root: string;
  let contenders: Contender[];

  beforeAll(async () => {
    await ensureCompiled();
    root = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-lock-race-'));
    contenders = [startContender(), startContender()];
    await Promise.all(contenders.map((c) => c.next(0, 'ready')));
  }, 180_000);

  afterAll(async () => {
    for (const c of contenders ?? []) c.child.kill('SIGKILL');
    if (root) await rm(root, { recursive: true, force: true });
  });

  it(`has exactly one winner in each of ${ROUNDS} rounds (fresh, dead owner, old empty lock)`, async () => {
    const starts = { fresh: 0, 'dead owner': 0, 'old empty lock': 0 };
    for (let round = 1; round <= ROUNDS; round++) {
      const dir = path.join(root, `r${round}`);
      await rm(dir, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(dir));
      const lockFile = path.join(dir, LOCK_FILE_NAME);
      const start = (['fresh', 'dead owner', 'old empty lock'] as const)[round % 3]!;
      starts[start]++;
      if (start === 'dead owner') {
        await writeFile(lockFile, JSON.stringify({ pid: 999_999_999, host: os.hostname(), start: 'x/1', lockedAt: '2026-01-01T00:00:00Z' }));
      } else if (start === 'old empty lock') {
        await writeFile(lockFile, '');
        const old = new Date(Date.now() - 60_000);
        await utimes(lockFile, old, old);
      }
      const at = Date.now() + 15;
      for (const c of contenders) c.send({ round, dir, at });
      const answers = await Promise.all(contenders.map((c) => c.next(round, 'won')));
      const winners = answers.filter((a) => a.won === true);
      expect({ round, start, winners: winners.length, answers }).toMatchObject({ winners: 1 });
      const loser = answers.find((a) => a.won === false)!;
      expect(loser.error).toMatch(/in use by another lessonloop process/);
      const owner = JSON.parse(await readFile(lockFile, 'utf8')) as { pid: number };
      expect(owner.pid).toBe(winners[0]!.pid);
      const winner = contenders.find((c) => c.pid === winners[0]!.pid)!;
      winner.send({ round, release: true });
      await winner.next(round, 'released');
      await expect(readFile(lockFile, 'utf8')).rejects.toThrow(/ENOENT/);
    }
    expect(Object.values(starts).every((n) => n >= 16)).toBe(true);
  }, 120_000);
});
