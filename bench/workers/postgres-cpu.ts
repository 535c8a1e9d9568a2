/**
 * CPU seconds of the PostgreSQL backends serving one database, read from /proc/<pid>/stat (utime + stime) of
 * the pids pg_stat_activity lists for it; no extension needed. Sampled while the workers run and once more
 * before they disconnect, so a backend's time is counted up to its end; the server must run on this machine.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}

export class PostgresCpu {
  private readonly last = new Map<number, number>();
  private readonly baseline = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly client: pg.Client, private readonly database: string) {}

  /** Starts sampling; backends open now (the parent's own) count from now on. */
  static async start(url: string): Promise<PostgresCpu> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const cpu = new PostgresCpu(client, new URL(url).pathname.slice(1));
    for (const pid of await cpu.pids()) cpu.baseline.set(pid, cpuSecondsOf(pid) ?? 0);
    cpu.timer = setInterval(() => void cpu.sample(), 200);
    return cpu;
  }

  private async pids(): Promise<number[]> {
    const { rows } = await this.client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database]);
    return rows.map((r) => r.pid);
  }

  async sample(): Promise<void> {
    for (const pid of await this.pids().catch(() => [])) {
      const seconds = cpuSecondsOf(pid);
      if (seconds !== null) this.last.set(pid, seconds);
    }
  }

  /** CPU seconds of the database's backends since start(). */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sample();
    await this.client.end();
    let total = 0;
    for (const [pid, seconds] of this.last) total += seconds - (this.baseline.get(pid) ?? 0);
    return total;
  }
}
