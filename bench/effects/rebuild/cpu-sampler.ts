/**
 * CPU seconds a job used, for figures a loaded machine can still compare: this process's own (user + system),
 * and its database's PostgreSQL backends', read from /proc every 200 ms per backend so that a backend that ends
 * during the job still counts up to its last reading (at most 200 ms of its time is lost). Linux only.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;
const BACKEND_TITLE = /^postgres: (?:\S+: )?\S+ (\S+) /;

function backendTicks(database: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (BACKEND_TITLE.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] !== database) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export interface CpuSeconds {
  node: number;
  postgres: number;
}

/** Starts sampling; the returned function stops it and says what was used since. */
export function startCpuSampler(databaseUrl: string): () => CpuSeconds {
  const database = new URL(databaseUrl).pathname.slice(1);
  const node = process.cpuUsage();
  const first = backendTicks(database);
  const last = new Map(first);
  const sample = () => {
    for (const [pid, ticks] of backendTicks(database)) last.set(pid, Math.max(ticks, last.get(pid) ?? 0));
  };
  const timer = setInterval(sample, 200);
  return () => {
    sample();
    clearInterval(timer);
    let ticks = 0;
    for (const [pid, t] of last) ticks += t - (first.get(pid) ?? 0);
    const used = process.cpuUsage(node);
    return { node: (used.user + used.system) / 1e6, postgres: ticks / TICKS_PER_SECOND };
  };
}
