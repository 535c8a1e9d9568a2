import { fork, type Serializable } from 'node:child_process';
import { peakRssMb } from './peak-rss.js';

/**
 * One measurement per child process, so each implementation's peak RSS is its own and one run's heap, caches
 * and connection pools cannot slow down the next. The parent sends a job over IPC, the child answers once.
 */

export interface ChildOutcome<TResult> {
  result: TResult;
  /** The child's `process.resourceUsage().maxRSS`, in MB, taken after the job finished. */
  peakRssMb: number;
}

type ChildReply<TResult> = { ok: true; result: TResult; peakRssMb: number } | { ok: false; error: string };

export interface RunInChildOptions {
  /** Kill the child and fail after this long (default: 30 minutes). */
  timeoutMs?: number;
  execArgv?: string[];
}

/** Parent side: runs `modulePath` (a compiled .js that calls `serveJob`) with `job` and waits for its reply. */
export function runInChild<TJob extends Serializable, TResult>(
  modulePath: string,
  job: TJob,
  options: RunInChildOptions = {},
): Promise<ChildOutcome<TResult>> {
  return new Promise((resolve, reject) => {
    // 'advanced' serialization carries bigint, Date and Map across the IPC channel.
    const child = fork(modulePath, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: options.execArgv ?? process.execArgv,
    });
    let reply: ChildReply<TResult> | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${modulePath} timed out after ${options.timeoutMs ?? 1_800_000} ms`));
    }, options.timeoutMs ?? 1_800_000);
    child.on('message', (message) => {
      reply = message as ChildReply<TResult>;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply?.ok) resolve({ result: reply.result, peakRssMb: reply.peakRssMb });
      else if (reply) reject(new Error(`child job failed: ${reply.error}`));
      else reject(new Error(`child ${modulePath} exited (code ${code}, signal ${signal}) without a reply`));
    });
    child.send(job);
  });
}

/** Child side: waits for one job, runs it, replies with the result and the peak RSS, then exits. */
export function serveJob<TJob, TResult>(handle: (job: TJob) => Promise<TResult>): void {
  if (!process.send) throw new Error('serveJob must run in a process started by runInChild (no IPC channel)');
  process.once('message', (job) => {
    void (async () => {
      let reply: ChildReply<TResult>;
      try {
        const result = await handle(job as TJob);
        reply = { ok: true, result, peakRssMb: peakRssMb() };
      } catch (error) {
        reply = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      // Exit only once the reply is flushed; lingering handles (pools, timers) must not keep the child alive.
      process.send!(reply, () => process.exit(reply.ok ? 0 : 1));
    })();
  });
}
