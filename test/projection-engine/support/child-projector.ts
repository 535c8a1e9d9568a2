/** Spawning and killing the compiled projector child (children/projector.child.ts). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { compiledPath } from '../../support/compiled.js';
import type { ProjectorConfig } from '../children/projector.child.js';

export interface ProjectorMessage {
  pid: number;
  /** When the parent read it (Date.now()). */
  receivedAt: number;
  type: 'ready' | 'lease' | 'batch' | 'caught-up' | 'done' | 'error';
  [key: string]: unknown;
}

export interface RunningProjector {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly messages: ProjectorMessage[];
  /** Resolves with the first message of that type (already received or future); rejects if the child exits first. */
  waitFor(type: ProjectorMessage['type'], timeoutMs?: number): Promise<ProjectorMessage>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

export function spawnProjector(config: ProjectorConfig): RunningProjector {
  const child = spawn(process.execPath, [compiledPath('test/projection-engine/children/projector.child.ts')], {
    env: { ...process.env, PROJECTOR_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: ProjectorMessage[] = [];
  const waiters: { type: string; resolve: (m: ProjectorMessage) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let message: ProjectorMessage;
    try {
      message = { ...(JSON.parse(line) as ProjectorMessage), receivedAt: Date.now() };
    } catch {
      return;
    }
    messages.push(message);
    for (const waiter of waiters.filter((w) => w.type === message.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    pid: child.pid!,
    messages,
    exited,
    stderr: () => stderr,
    waitFor(type, timeoutMs = 60_000) {
      const seen = messages.find((m) => m.type === type);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`projector ${child.pid}: no "${type}" within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
        waiters.push({
          type,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`projector ${child.pid} exited (${code}) before "${type}"\n${stderr}`));
        });
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
