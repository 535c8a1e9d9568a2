import { rawCursorRead } from '../../rebuild/measurements/reads.js';
import { serveJob } from '../../support/child-runner.js';
import { appendWorld } from './append-world.js';
import type { EffectsJob, JobResult } from './jobs.js';
import { rebuildEffects } from './rebuild-effects.js';

serveJob<EffectsJob, JobResult>(async (job) => {
  switch (job.kind) {
    case 'append':
      return appendWorld(job.url, job.shape);
    case 'raw-cursor':
      return rawCursorRead(job);
    case 'rebuild':
      return rebuildEffects(job);
  }
});
