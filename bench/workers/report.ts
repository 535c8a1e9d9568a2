/** The table and verdicts of `bench:workers`, with Amdahl's bound computed from the same run. */
export interface WorkersRun {
  workers: number;
  seconds: number;
  done: { pid: number; nodeCpuSeconds: number; events: number; units: string[] }[];
  postgresCpuSeconds: number;
  check: { rows: number; md5: string };
}

export interface WorkersMeasurement {
  events: number;
  /** One subscription reading the whole log alone: the serial part (every worker reads all of it). */
  readSeconds: number;
  cores: number;
  runs: WorkersRun[];
}

/**
 * Amdahl's bound on the speed-up of n workers: the serial fraction s is the read every worker repeats (its time
 * over the one-worker wall time); and n workers cannot use more than the cores, of which one worker with its
 * PostgreSQL backends already keeps (node + postgres CPU) / wall busy.
 */
export function amdahlBound(one: WorkersRun, readSeconds: number, cores: number, n: number): { amdahl: number; cores: number; bound: number } {
  const s = Math.min(1, readSeconds / one.seconds);
  const amdahl = 1 / (s + (1 - s) / n);
  const busy = (one.done.reduce((sum, d) => sum + d.nodeCpuSeconds, 0) + one.postgresCpuSeconds) / one.seconds;
  const coreCap = busy > 0 ? cores / busy : Infinity;
  return { amdahl, cores: coreCap, bound: Math.max(1, Math.min(amdahl, coreCap)) };
}

export function workersReport(m: WorkersMeasurement): string {
  const one = m.runs.find((r) => r.workers === 1);
  const lines = [
    `${m.events} events; reading the log alone: ${m.readSeconds.toFixed(1)} s; ${m.cores} cores`,
    '',
    '| workers | wall s | speed-up | bound (Amdahl, cores) | of bound | events/s per process | Node CPU s | PostgreSQL CPU s | Node:PG | segments per process | rows | checksum |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const verdicts: string[] = [];
  for (const run of m.runs) {
    const node = run.done.reduce((sum, d) => sum + d.nodeCpuSeconds, 0);
    const speedUp = one ? one.seconds / run.seconds : NaN;
    const bound = one ? amdahlBound(one, m.readSeconds, m.cores, run.workers) : null;
    const ofBound = bound ? speedUp / bound.bound : NaN;
    const rates = run.done.map((d) => Math.round(d.events / run.seconds)).join(' / ');
    const split = `${Math.round((100 * node) / (node + run.postgresCpuSeconds))}:${Math.round((100 * run.postgresCpuSeconds) / (node + run.postgresCpuSeconds))}`;
    lines.push(
      `| ${run.workers} | ${run.seconds.toFixed(1)} | ${speedUp.toFixed(2)} | ${bound ? `${bound.bound.toFixed(2)} (${bound.amdahl.toFixed(2)}, ${bound.cores.toFixed(2)})` : '-'} | ` +
        `${Number.isNaN(ofBound) ? '-' : `${Math.round(ofBound * 100)}%`} | ${rates} | ${node.toFixed(1)} | ${run.postgresCpuSeconds.toFixed(1)} | ${split} | ` +
        `${run.done.map((d) => d.units.length).join(' / ')} | ${run.check.rows} | ${run.check.md5.slice(0, 12)} |`,
    );
    if (run.workers === 2) verdicts.push(`${ofBound >= 0.8 ? 'PASS' : 'FAIL'}  2 workers reach ${Math.round(ofBound * 100)}% of the bound (goal >= 80%)`);
  }
  const sums = new Set(m.runs.map((r) => `${r.check.rows}/${r.check.md5}`));
  verdicts.push(`${sums.size === 1 ? 'PASS' : 'FAIL'}  identical read-model checksums across ${m.runs.map((r) => r.workers).join(', ')} workers`);
  return [...lines, '', ...verdicts].join('\n');
}
