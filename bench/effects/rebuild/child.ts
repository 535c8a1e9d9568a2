import { rawCursorRead } from '../../rebuild/measurements/reads.js';
import { serveJob } from '../../support/child-runner.js';
import { appendWorld } from './append-world.js';
import { startCpuSampler } from './cpu-sampler.js';
import type { EffectsJob, JobResult } from './jobs.js';
import { rebuildEffects } from './rebuild-effects.js';

/** The job's result, its note saying the CPU seconds it used (this process and its PostgreSQL backends). */
async function withCpu(url: string, run: () => Promise<JobResult>): Promise<JobResult> {
  const stop = startCpuSampler(url);
  const result = await run();
  const cpu = stop();
  return { ...result, note: `${result.note}; CPU ${cpu.node.toFixed(1)} s node + ${cpu.postgres.toFixed(1)} s PostgreSQL` };
}

serveJob<EffectsJob, JobResult>(async (job) => {
  switch (job.kind) {
    case 'append':
      return appendWorld(job.url, job.shape);
    case 'raw-cursor':
      return withCpu(job.url, () => rawCursorRead(job));
    case 'rebuild':
      return withCpu(job.url, () => rebuildEffects(job));
  }
});
