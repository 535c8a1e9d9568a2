import { randomUUID } from 'node:crypto';
import { comparePositions, START, type NewEvent } from '../../contracts/envelope.js';
import { ConcurrencyError, type EventStore, type SubscriptionMessage } from '../../src/event-store/event-store.port.js';
import { createEventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.js';
import { startFakeEventStoreDb, type FakeEventStoreDb } from './support/fake-eventstoredb.js';

/**
 * The adapter driven end to end by the real gRPC client against an in-memory fake of the server
 * (support/fake-eventstoredb.ts). It checks the adapter's own logic over the wire; what a real
 * EventStoreDB does is covered by the shared contract suite when EVENTSTORE_CONNECTION_STRING is set.
 */

const event = (type = 'Happened', data: unknown = { n: 1 }, eventId = randomUUID()): NewEvent => ({
  eventId,
  type,
  schemaVersion: 2,
  data,
  metadata: { occurredAt: '2026-08-22T02:50:22.000Z', source: 'test', correlationId: 'c-1', causationId: 'k-1' },
});

async function until(
  iterator: AsyncIterator<SubscriptionMessage>,
  stop: (m: SubscriptionMessage) => boolean,
): Promise<SubscriptionMessage[]> {
  const seen: SubscriptionMessage[] = [];
  for (;;) {
    const r = await iterator.next();
    if (r.done) return seen;
    seen.push(r.value);
    if (stop(r.value)) return seen;
  }
}

const idsOf = (messages: SubscriptionMessage[]) =>
  messages.flatMap((m) => (m.kind === 'events' ? m.events.map((e) => e.eventId) : []));

describe('EventStoreDB adapter over the gRPC client, against a fake server', () => {
  let fake: FakeEventStoreDb;
  let store: EventStore;

  beforeEach(async () => {
    fake = await startFakeEventStoreDb();
    store = await createEventStoreDbStore(fake.connectionString);
  });

  afterEach(async () => {
    await store.close();
    await fake.stop();
  });

  it('appends and reads a stream back with metadata, revisions and positions', async () => {
    const a = event('A');
    const b = event('B', { list: [1, 2] });
    const result = await store.appendToStream('run-1', [a, b], { expectedRevision: 'no_stream' });
    expect(result.appended).toBe(2);
    expect(result.nextExpectedRevision).toBe(1n);

    const read = await store.readStream('run-1');
    expect(read.map((e) => [e.eventId, e.type, e.streamRevision])).toEqual([
      [a.eventId, 'A', 0n],
      [b.eventId, 'B', 1n],
    ]);
    expect(read[1]).toMatchObject({ data: { list: [1, 2] }, schemaVersion: 2, metadata: b.metadata, streamId: 'run-1' });
    // The result names the last event's own position, not the transaction's.
    expect(result.position).toEqual(read[1].position);
    expect(result.globalPosition).toBe(read[1].position.prepare);
    expect(comparePositions(read[0].position, read[1].position)).toBeLessThan(0);
  });

  it('reads a missing stream as empty and honours fromRevision and maxCount', async () => {
    expect(await store.readStream('nothing-here')).toEqual([]);
    await store.appendToStream('run-2', [event(), event(), event(), event()]);
    const slice = await store.readStream('run-2', { fromRevision: 1n, maxCount: 2 });
    expect(slice.map((e) => e.streamRevision)).toEqual([1n, 2n]);
    expect(await store.readStream('run-2', { fromRevision: 9n })).toEqual([]);
  });

  it('treats a re-append of stored ids as a no-op reported at the stored copy', async () => {
    const batch = [event(), event()];
    const first = await store.appendToStream('run-3', batch, { expectedRevision: 'no_stream' });
    await store.appendToStream('run-3', [event()]);
    const again = await store.appendToStream('run-3', batch, { expectedRevision: 'no_stream' });
    expect(again).toEqual({ ...first, nextExpectedRevision: 2n, appended: 0 });
    expect(await store.readStream('run-3')).toHaveLength(3);
  });

  it('appends only the new ids of a partly replayed batch', async () => {
    const stored = event();
    await store.appendToStream('run-4', [stored]);
    const fresh = event();
    const result = await store.appendToStream('run-4', [stored, fresh]);
    expect(result.appended).toBe(1);
    expect((await store.readStream('run-4')).map((e) => e.eventId)).toEqual([stored.eventId, fresh.eventId]);
  });

  it('rejects a wrong expected revision with ConcurrencyError (checked locally and by the server)', async () => {
    await store.appendToStream('run-5', [event(), event()]);
    await expect(store.appendToStream('run-5', [event()], { expectedRevision: 0n })).rejects.toMatchObject({
      name: 'ConcurrencyError',
      expected: 0n,
      actual: 1n,
    });
    await expect(store.appendToStream('run-5', [event()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    await expect(store.appendToStream('new-6', [event()], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
      actual: 'no_stream',
    });
    expect((await store.appendToStream('run-5', [event()], { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
  });

  it('maps a conflict found by the server (two writers racing past the local check) to ConcurrencyError', async () => {
    const outcomes = await Promise.allSettled([
      store.appendToStream('race', [event()], { expectedRevision: 'no_stream' }),
      store.appendToStream('race', [event()], { expectedRevision: 'no_stream' }),
    ]);
    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(ConcurrencyError);
    expect(failures[0]).toMatchObject({ expected: 'no_stream', actual: 0n });
  });

  it("reports appended 0 when the server's own id check absorbs a replay older than the window", async () => {
    const narrow = await createEventStoreDbStore(fake.connectionString, { idempotencyWindow: 1 });
    try {
      const old = event();
      const first = await narrow.appendToStream('window', [old]);
      await narrow.appendToStream('window', [event(), event()]);
      const replay = await narrow.appendToStream('window', [old]);
      expect(replay).toEqual({ ...first, nextExpectedRevision: 2n, appended: 0 });
      expect(await narrow.readStream('window')).toHaveLength(3);
    } finally {
      await narrow.close();
    }
  });

  it('appendMany refuses a conflict before writing any stream, and writes each stream otherwise', async () => {
    await store.appendToStream('existing', [event()]);
    await expect(
      store.appendMany([
        { streamId: 'm-1', events: [event()] },
        { streamId: 'existing', events: [event()], expectedRevision: 'no_stream' },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('m-1')).toEqual([]);

    const results = await store.appendMany([
      { streamId: 'm-1', events: [event(), event()], expectedRevision: 'no_stream' },
      { streamId: 'm-2', events: [event()] },
      { streamId: 'm-1', events: [event()], expectedRevision: 1n },
    ]);
    expect(results.map((r) => [r.nextExpectedRevision, r.appended])).toEqual([
      [1n, 2],
      [0n, 1],
      [2n, 1],
    ]);
  });

  it('readAll skips system events, is exclusive of `after`, honours maxCount; headPosition and countAfter agree', async () => {
    expect(await store.headPosition()).toBeNull();
    expect(await store.readAll()).toEqual([]);
    const events = Array.from({ length: 7 }, () => event());
    for (const e of events) await store.appendToStream(`s-${e.eventId}`, [e]);
    expect(fake.log().some((e) => e.type.startsWith('$'))).toBe(true);

    const all = await store.readAll();
    expect(all.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    const afterThird = await store.readAll({ after: all[2].position, maxCount: 3 });
    expect(afterThird.map((e) => e.eventId)).toEqual(events.slice(3, 6).map((e) => e.eventId));
    expect(await store.readAll({ after: START })).toHaveLength(7);

    expect(await store.headPosition()).toEqual(all[6].position);
    expect(await store.countAfter()).toBe(7);
    expect(await store.countAfter(all[4].position)).toBe(2);
    expect(await store.countAfter(all[6].position)).toBe(0);
  });

  it('subscribes from a position: history, caught-up, then live events, and close() ends it', async () => {
    const history = [event(), event(), event()];
    await store.appendToStream('sub-1', history);
    const [first] = await store.readStream('sub-1', { maxCount: 1 });

    const subscription = store.subscribeToAll({ after: first.position, batchSize: 10 });
    const iterator = subscription[Symbol.asyncIterator]();
    const catchUp = await until(iterator, (m) => m.kind === 'caught-up');
    expect(idsOf(catchUp)).toEqual(history.slice(1).map((e) => e.eventId));
    const caughtUp = catchUp[catchUp.length - 1];
    expect(caughtUp).toMatchObject({ kind: 'caught-up' });

    const liveEvent = event('Live');
    await store.appendToStream('sub-2', [liveEvent]);
    const live = await until(iterator, (m) => m.kind === 'events');
    expect(idsOf(live)).toEqual([liveEvent.eventId]);
    expect(await until(iterator, (m) => m.kind === 'caught-up')).toHaveLength(1);

    expect(fake.liveSubscriptions()).toBe(1);
    await subscription.close();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.liveSubscriptions()).toBe(0);
  });

  it('delivers a long history in bounded batches to a slow consumer', async () => {
    const many = Array.from({ length: 120 }, () => event());
    await store.appendToStream('bulk', many);
    const subscription = store.subscribeToAll({ batchSize: 25 });
    const iterator = subscription[Symbol.asyncIterator]();
    const messages = await until(iterator, (m) => m.kind === 'caught-up');
    const sizes = messages.filter((m) => m.kind === 'events').map((m) => (m.kind === 'events' ? m.events.length : 0));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
    expect(idsOf(messages)).toEqual(many.map((e) => e.eventId));
    await subscription.close();
  });
});

describe('EventStoreDB adapter with a stream prefix', () => {
  it('keeps two stores on one server apart: streams, $all, head, lag and subscriptions', async () => {
    const fake = await startFakeEventStoreDb();
    const left = await createEventStoreDbStore(fake.connectionString, { streamPrefix: 'left-' });
    const right = await createEventStoreDbStore(fake.connectionString, { streamPrefix: 'right-' });
    try {
      const mine = event();
      await left.appendToStream('shared-name', [mine]);
      await right.appendToStream('shared-name', [event(), event()]);
      expect(fake.log().filter((e) => e.streamId === 'left-shared-name')).toHaveLength(1);

      const read = await left.readStream('shared-name');
      expect(read.map((e) => [e.streamId, e.eventId])).toEqual([['shared-name', mine.eventId]]);
      expect((await left.readAll()).map((e) => e.eventId)).toEqual([mine.eventId]);
      expect(await left.countAfter()).toBe(1);
      expect(await left.headPosition()).toEqual(read[0].position);
      expect(await right.countAfter()).toBe(2);

      const subscription = left.subscribeToAll();
      const messages = await until(subscription[Symbol.asyncIterator](), (m) => m.kind === 'caught-up');
      expect(messages.flatMap((m) => (m.kind === 'events' ? m.events.map((e) => e.streamId) : []))).toEqual(['shared-name']);
      await subscription.close();
    } finally {
      await left.close();
      await right.close();
      await fake.stop();
    }
  });

  it('refuses a prefix that would make system streams', async () => {
    const attempt = createEventStoreDbStore('esdb://127.0.0.1:1?tls=false', { streamPrefix: '$x' });
    await expect(attempt).rejects.toBeInstanceOf(RangeError);
    await expect(attempt).rejects.toThrow(/must not start with \$/);
  });
});

describe('EventStoreDB adapter against a server that never signals caught-up (before 23.10)', () => {
  it('still emits caught-up once the head position read at start has been delivered', async () => {
    const fake = await startFakeEventStoreDb({ sendsCaughtUp: false });
    const store = await createEventStoreDbStore(fake.connectionString);
    try {
      const history = [event(), event()];
      await store.appendToStream('old-server', history);
      const subscription = store.subscribeToAll();
      const messages = await until(subscription[Symbol.asyncIterator](), (m) => m.kind === 'caught-up');
      expect(idsOf(messages)).toEqual(history.map((e) => e.eventId));
      await subscription.close();
    } finally {
      await store.close();
      await fake.stop();
    }
  });
});
