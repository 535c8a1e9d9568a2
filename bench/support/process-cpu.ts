/**
 * CPU time used so far, read from /proc (Linux): of one process, and of every PostgreSQL server process on the
 * machine. Per-unit CPU is the figure a shared, loaded machine can still compare between runs; wall-clock rates
 * there depend on what else runs.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function ticksOf(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')': utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // ended meanwhile
  }
}

/** CPU ms used by the process so far. */
export function processCpuMs(pid: number): number {
  return (ticksOf(pid) * 1000) / TICKS_PER_SECOND;
}

/** `postgres: [<cluster>: ]<user> <database> <client> <state>`: the title a backend sets on itself. */
const BACKEND_TITLE = /^postgres: (?:\S+: )?\S+ (\S+) /;

/**
 * CPU ms used so far by the PostgreSQL backends connected to `database` now (their title names it). A backend
 * that ends between two readings takes its time with it: read this over a window where the pool's connections
 * stay open. The server's own background processes (WAL writer, checkpointer) are not counted.
 */
export function postgresCpuMs(database: string): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (BACKEND_TITLE.exec(title)?.[1] === database) ticks += ticksOf(entry);
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
