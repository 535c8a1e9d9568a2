import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { dumbo } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, postgreSQLEventStoreMessageBatchPuller } from '@event-driven-io/emmett-postgresql';
import { timed } from '../../support/timing.js';
import { READ_PAGE_SIZE, RUN_SIZE, type Job, type MeasurementResult } from '../jobs.js';
import { runBatches, type RunBatch } from '../payload.js';

/** Emmett's PostgreSQL event store, the peer our append rate is held against. Public API only. */

function toEmmettEvents(batch: RunBatch) {
  return batch.events.map((e) => ({
    type: e.type,
    data: e.data,
    // Emmett takes the message id from metadata when given: store the same ids we store.
    metadata: { ...e.metadata, messageId: e.eventId, schemaVersion: e.schemaVersion },
  }));
}

export async function emmettAppend(job: Job, url: string): Promise<MeasurementResult> {
  const store = getPostgreSQLEventStore(url);
  try {
    await store.schema.migrate();
    for (const batch of runBatches(`${job.streamPrefix}-warmup`, job.warmupEvents, RUN_SIZE)) {
      await store.appendToStream(batch.streamId, toEmmettEvents(batch), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    }
    const batches = [...runBatches(job.streamPrefix, job.events, RUN_SIZE)];
    const { seconds } = await timed(async () => {
      for (const batch of batches) {
        await store.appendToStream(batch.streamId, toEmmettEvents(batch), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
      }
    });
    return { events: job.events, seconds };
  } finally {
    await store.close();
  }
}

/**
 * Emmett has no readAll. Its consumers read the global log through `postgreSQLEventStoreMessageBatchPuller`
 * (readMessagesBatch: `transaction_id < xmin` horizon, keyset on global_position); this runs that puller
 * alone, pages of 1000, no pause between full pages (it still sleeps 100 ms once, after its first page).
 * dumbo is the pool Emmett's consumers use (a devDependency pinned to the version Emmett 0.42 expects).
 */
export async function emmettRead(job: Job, url: string): Promise<MeasurementResult> {
  const pool = dumbo({ connectionString: url });
  const readAll = async (limit: number): Promise<number> => {
    let read = 0;
    const puller = postgreSQLEventStoreMessageBatchPuller({
      executor: pool.execute,
      signal: new AbortController().signal,
      batchSize: READ_PAGE_SIZE,
      pullingFrequencyInMs: 0,
      stopWhen: { noMessagesLeft: true },
      eachBatch: async (messages) => {
        read += messages.length;
        return read >= limit ? { type: 'STOP', reason: 'warm-up done' } : undefined;
      },
    });
    await puller.start({ startFrom: 'BEGINNING' });
    return read;
  };
  try {
    await readAll(job.warmupEvents);
    const { seconds, value: read } = await timed(() => readAll(Number.POSITIVE_INFINITY));
    return { events: read, seconds, note: 'message batch puller, pages of 1000' };
  } finally {
    await pool.close();
  }
}

/**
 * The same log read through Emmett's public consumer API: one reactor from the beginning until no messages
 * are left. Emmett 0.42's reactor stores its checkpoint after every message (in one transaction per page).
 */
export async function emmettReactorRead(job: Job, url: string): Promise<MeasurementResult> {
  const store = getPostgreSQLEventStore(url);
  const readAll = async (processorId: string, limit: number): Promise<number> => {
    let read = 0;
    const consumer = store.consumer({ pulling: { batchSize: READ_PAGE_SIZE, pullingFrequencyInMs: 0 }, stopWhen: { noMessagesLeft: true } });
    consumer.reactor({
      processorId,
      startFrom: 'BEGINNING',
      stopAfter: () => read >= limit,
      eachMessage: async () => {
        read++;
      },
    });
    // start() resolves once the consumer stopped. No consumer.close(): it would end the pool the store owns.
    await consumer.start();
    return read;
  };
  try {
    await readAll(`${job.streamPrefix}-warmup`, job.warmupEvents);
    const { seconds, value: read } = await timed(() => readAll(job.streamPrefix, Number.POSITIVE_INFINITY));
    return { events: read, seconds, note: 'consumer + reactor, pages of 1000, checkpoint per message' };
  } finally {
    await store.close();
  }
}
