/** A real `lessonloop serve` process (children/server.child.ts) that a test can start, hold, kill and read. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { compiledPath } from './compiled.js';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the base URL once the server listens; rejects if it exits first (with its stderr). */
  readonly listening: Promise<string>;
  readonly exited: Promise<number | null>;
  /** Lets a server started with `waitForGo` begin. */
  go(): void;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerProcessOptions {
  /** Settings (strings, as in the environment); LOG_LEVEL is info so the listening line is printed. */
  env: Record<string, string>;
  waitForGo?: boolean;
}

/** Call `ensureCompiled()` (test/support/compiled.ts) first. */
export function spawnServer(options: ServerProcessOptions): ServerProcess {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', LESSONLOOP_HOST: '127.0.0.1', ...options.env };
  if (options.waitForGo) env.SERVER_WAIT_FOR_GO = '1';
  const child = spawn(process.execPath, [compiledPath('test/support/children/server.child.ts')], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = /listening on (http:\/\/[^\s"]+)/.exec(line)?.[1];
      if (url) resolve(url);
    });
    void exited.then((code) => reject(new Error(`server ${child.pid} exited (${code}) before listening:\n${stderr}`)));
  });
  listening.catch(() => undefined);
  return {
    child,
    pid: child.pid!,
    listening,
    exited,
    go: () => child.stdin!.write('go\n'),
    stderr: () => stderr,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
