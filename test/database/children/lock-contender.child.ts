/**
 * One contender of the directory-lock race (test/database/directory-lock-race.spec.ts), compiled by
 * test/support/compiled.ts. Reads JSON commands from stdin, one a line: `{round, dir, at}` tries to lock dir at
 * time `at` (ms since the epoch) and answers `{round, won, error?}`; `{round, release: true}` releases it.
 */
import { createInterface } from 'node:readline';
import { acquireDirectoryLock, type DirectoryLock } from '../../../src/database/directory-lock.js';

const locks = new Map<number, DirectoryLock>();

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...message })}\n`);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { round: number; dir?: string; at?: number; release?: boolean };
  if (command.release) {
    void locks.get(command.round)?.release().then(() => say({ round: command.round, released: true }));
    return;
  }
  setTimeout(() => {
    acquireDirectoryLock(command.dir!).then(
      (lock) => {
        locks.set(command.round, lock);
        say({ round: command.round, won: true });
      },
      (error: Error) => say({ round: command.round, won: false, error: error.message }),
    );
  }, Math.max(0, (command.at ?? 0) - Date.now()));
});
say({ ready: true });
