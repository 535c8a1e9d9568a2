/** `npm start` as a user runs it, in a process group of its own (npm, its shell, node) that the test can stop. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface NpmStart {
  readonly child: ChildProcess;
  /** The URL of the listen line (`http://localhost:<port>` when bound to every interface). */
  readonly listening: Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

/** Brings dist/ up to date the way `npm start`'s prestart does (nothing to do on an unchanged checkout). */
export function buildIfStale(): string {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build.mjs failed:\n${build.stdout}${build.stderr}`);
  return build.stdout;
}

export function npmStart(env: Record<string, string>): NpmStart {
  const child = spawn('npm', ['start'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const url = /listening on (?:port \d+, every interface \()?(http:\/\/[^\s")]+)/.exec(line)?.[1];
      if (url) resolve(url);
    });
    void exited.then(() => reject(new Error(`npm start exited before listening:\n${output}`)));
  });
  listening.catch(() => undefined);
  return {
    child,
    listening,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
