import { serveJob } from '../support/child-runner.js';
import type { Job, MeasurementResult } from './jobs.js';
import { ourImport } from './measurements/ours.js';
import { rawCopyCsv, rawCopyEvents } from './measurements/raw-copy.js';

serveJob<Job, MeasurementResult>(async (job) => {
  switch (job.kind) {
    case 'ours':
    case 'ours-unvalidated':
      return ourImport(job);
    case 'raw-copy-events':
      return rawCopyEvents(job);
    case 'raw-copy-csv':
      return rawCopyCsv(job);
  }
});
