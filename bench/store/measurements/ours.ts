import { START, type Position } from '../../../contracts/envelope.js';
import type { EventStore } from '../../../src/event-store/event-store.port.js';
import { timed } from '../../support/timing.js';
import { READ_PAGE_SIZE, RUN_SIZE, STREAMS_PER_BULK_CALL, type Job, type MeasurementResult } from '../jobs.js';
import { runBatches, type RunBatch } from '../payload.js';

/** lessonloop's own store through its port: what the application will actually call. */

async function appendRuns(store: EventStore, batches: Iterable<RunBatch>): Promise<void> {
  for (const batch of batches) {
    await store.appendToStream(batch.streamId, batch.events, { expectedRevision: 'no_stream' });
  }
}

async function appendBulk(store: EventStore, batches: RunBatch[]): Promise<void> {
  for (let i = 0; i < batches.length; i += STREAMS_PER_BULK_CALL) {
    const call = batches.slice(i, i + STREAMS_PER_BULK_CALL);
    await store.appendMany(call.map((b) => ({ streamId: b.streamId, events: b.events, expectedRevision: 'no_stream' })));
  }
}

export async function oursAppend(store: EventStore, job: Job): Promise<MeasurementResult> {
  await appendRuns(store, runBatches(`${job.streamPrefix}-warmup`, job.warmupEvents, RUN_SIZE));
  const batches = [...runBatches(job.streamPrefix, job.events, RUN_SIZE)];
  const { seconds } = await timed(() => appendRuns(store, batches));
  return { events: job.events, seconds };
}

export async function oursAppendMany(store: EventStore, job: Job): Promise<MeasurementResult> {
  await appendBulk(store, [...runBatches(`${job.streamPrefix}-warmup`, job.warmupEvents, RUN_SIZE)]);
  const batches = [...runBatches(job.streamPrefix, job.events, RUN_SIZE)];
  const { seconds } = await timed(() => appendBulk(store, batches));
  return { events: job.events, seconds, note: `${STREAMS_PER_BULK_CALL} streams x ${RUN_SIZE} events per call` };
}

/** The `readAll` paging loop a projection rebuild would run. Fails if it does not see every stored event. */
export async function oursReadAll(store: EventStore, job: Job): Promise<MeasurementResult> {
  const readFrom = async (limit: number): Promise<number> => {
    let after: Position = START;
    let read = 0;
    while (read < limit) {
      const page = await store.readAll({ after, maxCount: READ_PAGE_SIZE });
      if (page.length === 0) break;
      read += page.length;
      after = page[page.length - 1]!.position;
    }
    return read;
  };
  await readFrom(job.warmupEvents);
  const expected = await store.countAfter();
  const { seconds, value: read } = await timed(() => readFrom(Number.POSITIVE_INFINITY));
  if (read !== expected) throw new Error(`readAll returned ${read} events, the store holds ${expected}`);
  return { events: read, seconds, note: `readAll pages of ${READ_PAGE_SIZE}` };
}

/** `subscribeToAll` from the start until its first caught-up signal. */
export async function oursSubscribe(store: EventStore, job: Job): Promise<MeasurementResult> {
  const consume = async (limit: number): Promise<number> => {
    const subscription = store.subscribeToAll({ batchSize: READ_PAGE_SIZE });
    let read = 0;
    try {
      for await (const message of subscription) {
        if (message.kind === 'caught-up') break;
        read += message.events.length;
        if (read >= limit) break;
      }
    } finally {
      await subscription.close();
    }
    return read;
  };
  await consume(job.warmupEvents);
  const expected = await store.countAfter();
  const { seconds, value: read } = await timed(() => consume(Number.POSITIVE_INFINITY));
  if (read !== expected) throw new Error(`subscribeToAll delivered ${read} events before caught-up, the store holds ${expected}`);
  return { events: read, seconds, note: `subscribeToAll batch ${READ_PAGE_SIZE} until caught-up` };
}
