import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * Who holds a lock: a pid alone is not enough. The Docker image runs node as PID 1, so a container restarted
 * after a kill -9 finds its own pid in the lock it left; and any pid is reused sooner or later. The start
 * time tells one life of a pid from another.
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Opaque start mark: `<boot id>/<start ticks>` from /proc on Linux, else the start in ms since the epoch. */
  start: string;
}

let self: ProcessIdentity | undefined;

export function currentProcess(): ProcessIdentity {
  self ??= { pid: process.pid, host: os.hostname(), start: startOf(process.pid) ?? `t${Math.round(performance.timeOrigin)}` };
  return self;
}

/** The start mark of a running process of this machine, where the system tells it (Linux /proc). */
export function startOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, clock ticks since boot); the command name (field 2) may hold spaces and parentheses.
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    if (!ticks || !/^\d+$/.test(ticks)) return undefined;
    return `${bootId()}/${ticks}`;
  } catch {
    return undefined;
  }
}

let boot: string | undefined;

function bootId(): string {
  try {
    boot ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    boot = 'boot';
  }
  return boot;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
