/**
 * bench:bandit's clients: `clients` loops, each taking the next session number and running its selection then
 * its outcome over HTTP (keep-alive). Latencies are kept per finished session in finishing order, so each mark
 * reports the window of sessions just before it.
 */
import { rewardFor, seededUniform, sessionPlan } from './world.js';

export interface Percentiles {
  p50: number;
  p99: number;
}

export interface MarkReport {
  mark: number;
  window: number;
  select: Percentiles;
  outcome: Percentiles;
  sessionsPerSecond: number;
  overallSessionsPerSecond: number;
  rssMb: number;
  /** The server's V8 heap in use after its last full GC (what it keeps; RSS also holds the heap's slack). */
  heapAfterGcMb: number | null;
  /** CPU ms per session over the window: the server process, and PostgreSQL's processes (null: embedded store). */
  serverCpuMsPerSession: number;
  postgresCpuMsPerSession: number | null;
}

/** CPU ms used so far (see bench/support/process-cpu.ts). */
export interface CpuReading {
  server: number;
  postgres: number | null;
}

export interface ClientRun {
  base: string;
  token: string;
  sessions: number;
  clients: number;
  marks: number[];
  rss(): number;
  heapAfterGc(): number | null;
  cpu(): CpuReading;
  log(line: string): void;
}

function percentiles(values: Float64Array): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99) };
}

function cpuPerSession(from: CpuReading, to: CpuReading, sessions: number) {
  return {
    serverCpuMsPerSession: (to.server - from.server) / sessions,
    postgresCpuMsPerSession: to.postgres === null || from.postgres === null ? null : (to.postgres - from.postgres) / sessions,
  };
}

async function post(url: string, token: string, body: unknown): Promise<{ ms: number; json: Record<string, unknown> }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 201) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return { ms, json: JSON.parse(text) as Record<string, unknown> };
}

export async function runClients(run: ClientRun): Promise<MarkReport[]> {
  const selectMs = new Float64Array(run.sessions);
  const outcomeMs = new Float64Array(run.sessions);
  const finishedAt = new Float64Array(run.sessions);
  const uniform = seededUniform('bench-rewards');
  const reports: MarkReport[] = [];
  let next = 0;
  let done = 0;
  const started = performance.now();
  const marks = [...run.marks];
  // CPU readings every 100 sessions (and at 0): a window's CPU is the difference from the reading at its start.
  const cpuAt = new Map<number, CpuReading>([[0, run.cpu()]]);
  const cpuBefore = (n: number) => cpuAt.get(Math.floor(n / 100) * 100) ?? cpuAt.get(0)!;
  const client = async () => {
    for (;;) {
      const n = next++;
      if (n >= run.sessions) return;
      const plan = sessionPlan(n);
      const sessionId = `bench-${n}`;
      const selection = await post(`${run.base}/sessions/${sessionId}/lesson-selection`, run.token, plan);
      const reward = rewardFor(selection.json.selected as string[], uniform);
      const outcome = await post(`${run.base}/sessions/${sessionId}/outcome`, run.token, { reward });
      const i = done++;
      selectMs[i] = selection.ms;
      outcomeMs[i] = outcome.ms;
      finishedAt[i] = performance.now();
      if ((i + 1) % 100 === 0 || i + 1 === marks[0]) cpuAt.set(i + 1, run.cpu());
      if (i + 1 === marks[0]) {
        const mark = marks.shift()!;
        const window = Math.min(1000, Math.ceil(mark / 2));
        const from = mark - window;
        const seconds = (finishedAt[mark - 1]! - (from > 0 ? finishedAt[from - 1]! : started)) / 1000;
        const report: MarkReport = {
          mark,
          window,
          select: percentiles(selectMs.subarray(from, mark)),
          outcome: percentiles(outcomeMs.subarray(from, mark)),
          sessionsPerSecond: window / seconds,
          overallSessionsPerSecond: mark / ((finishedAt[mark - 1]! - started) / 1000),
          rssMb: run.rss(),
          heapAfterGcMb: run.heapAfterGc(),
          ...cpuPerSession(cpuBefore(from), cpuAt.get(mark)!, window),
        };
        reports.push(report);
        run.log(
          `${mark} sessions: select p50 ${report.select.p50.toFixed(1)} p99 ${report.select.p99.toFixed(1)} ms, outcome p50 ${report.outcome.p50.toFixed(1)} ` +
            `p99 ${report.outcome.p99.toFixed(1)} ms, ${report.sessionsPerSecond.toFixed(0)} sessions/s, RSS ${report.rssMb.toFixed(0)} MB, heap after GC ${report.heapAfterGcMb?.toFixed(0) ?? '-'} MB`,
        );
      } else if ((i + 1) % 100 === 0) {
        run.log(`${i + 1} sessions, ${((i + 1) / ((performance.now() - started) / 1000)).toFixed(0)} sessions/s overall, RSS ${run.rss().toFixed(0)} MB`);
      }
    }
  };
  await Promise.all(Array.from({ length: run.clients }, client));
  return reports;
}
