import { serveJob } from '../support/child-runner.js';
import type { Job, JobResult } from './jobs.js';
import { emmettRebuild } from './measurements/emmett.js';
import { ourRebuild } from './measurements/ours.js';
import { importHistory, loadEmmett } from './measurements/prepare.js';
import { rawCursorRead, storeRead } from './measurements/reads.js';

serveJob<Job, JobResult>(async (job) => {
  switch (job.kind) {
    case 'import':
      return importHistory(job);
    case 'emmett-load':
      return loadEmmett(job);
    case 'raw-cursor':
      return rawCursorRead(job);
    case 'store-read':
      return storeRead(job);
    case 'ours':
      return ourRebuild(job);
    case 'emmett':
      return emmettRebuild(job);
  }
});
