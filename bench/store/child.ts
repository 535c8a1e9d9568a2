import { serveJob } from '../support/child-runner.js';
import { timed } from '../support/timing.js';
import type { Job, MeasurementResult } from './jobs.js';
import { emmettAppend, emmettReactorRead, emmettRead } from './measurements/emmett.js';
import { oursAppend, oursAppendMany, oursReadAll, oursSubscribe } from './measurements/ours.js';
import { rawCopy, rawCopyIndexed, rawCursorRead, rawKeysetRead } from './measurements/raw-postgres.js';
import { settle } from './measurements/settle.js';
import { openOurStore } from './open-our-store.js';

/** Child process entry: runs exactly one measurement (see main.ts), so its peak RSS is its own. */

function postgresUrl(job: Job): string {
  if (job.backend.kind !== 'postgres') throw new Error(`${job.measurement} runs on PostgreSQL only`);
  return job.backend.url;
}

async function runJob(job: Job): Promise<MeasurementResult> {
  switch (job.measurement) {
    case 'emmett.append':
      return emmettAppend(job, postgresUrl(job));
    case 'emmett.read':
      return emmettRead(job, postgresUrl(job));
    case 'emmett.read-reactor':
      return emmettReactorRead(job, postgresUrl(job));
    case 'raw.copy':
      return rawCopy(job, postgresUrl(job));
    case 'raw.copy-indexed':
      return rawCopyIndexed(job, postgresUrl(job));
    case 'raw.cursor-read':
      return rawCursorRead(job, postgresUrl(job));
    case 'raw.keyset-read':
      return rawKeysetRead(job, postgresUrl(job));
    case 'settle':
      return settle(job.backend);
    case 'ours.open': {
      const { seconds, value: opened } = await timed(() => openOurStore(job.backend));
      await opened.close();
      return { events: 0, seconds, note: 'open the SqlClient, run the migrations' };
    }
    case 'ours.append':
    case 'ours.append-many':
    case 'ours.read-all':
    case 'ours.subscribe': {
      const { store, close } = await openOurStore(job.backend);
      try {
        if (job.measurement === 'ours.append') return await oursAppend(store, job);
        if (job.measurement === 'ours.append-many') return await oursAppendMany(store, job);
        if (job.measurement === 'ours.read-all') return await oursReadAll(store, job);
        return await oursSubscribe(store, job);
      } finally {
        await close();
      }
    }
  }
}

serveJob(runJob);
