import { Readable } from 'node:stream';
import type { AllStreamResolvedEvent } from '@eventstore/db-client';
import type { Position } from '../../contracts/envelope.js';
import type { SubscriptionMessage } from '../../src/event-store/event-store.port.js';
import { EventStoreDbAllSubscription, type CatchUpSource } from '../../src/event-store/eventstoredb/all-subscription.js';

/** Stands in for the client's catch-up subscription: an object-mode Readable the test feeds by hand. */
class FakeSource extends Readable implements CatchUpSource {
  unsubscribed = false;
  reads = 0;
  constructor(highWaterMark: number) {
    super({ objectMode: true, highWaterMark });
  }
  override _read(): void {
    this.reads += 1;
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
  feed(n: number, from = 0, type = 'T'): void {
    for (let i = from; i < from + n; i += 1) this.push(resolved(i, type));
  }
}

function resolved(i: number, type = 'T'): AllStreamResolvedEvent {
  return {
    event: {
      streamId: `s-${i}`,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      revision: 0n,
      type,
      isJson: true,
      created: new Date(0),
      data: { i },
      metadata: { occurredAt: '2026-01-01T00:00:00.000Z', source: 'test', schemaVersion: 1 },
      position: at(i),
    },
  } as AllStreamResolvedEvent;
}

const at = (i: number): Position => ({ commit: BigInt(1000 + i * 10), prepare: BigInt(1000 + i * 10) });

function setup(options: { head: Position | null; after?: Position; batchSize?: number }) {
  let source: FakeSource | undefined;
  let openedAfter: Position | undefined;
  const sub = new EventStoreDbAllSubscription(
    (after, highWaterMark) => {
      openedAfter = after;
      source = new FakeSource(highWaterMark);
      return source;
    },
    async () => options.head,
    options.after,
    options.batchSize ?? 10,
  );
  const it = sub[Symbol.asyncIterator]();
  return { sub, it, source: () => source!, openedAfter: () => openedAfter };
}

const summary = (m: SubscriptionMessage) =>
  m.kind === 'events' ? m.events.map((e) => (e.data as { i: number }).i) : `caught-up@${m.position?.prepare ?? 'null'}`;

async function take(it: AsyncIterator<SubscriptionMessage>) {
  const r = await it.next();
  if (r.done) return 'done';
  return summary(r.value);
}

describe('EventStoreDB catch-up subscription as a pull iterator', () => {
  it('emits events in batches, then caught-up where the server signalled it, not before earlier events', async () => {
    const { it, source } = setup({ head: at(4), batchSize: 3 });
    const first = it.next();
    await new Promise((r) => setImmediate(r));
    source().feed(5);
    source().emit('caughtUp');
    expect(summary((await first).value as SubscriptionMessage)).toEqual([0, 1, 2]);
    expect(await take(it)).toEqual([3, 4]);
    expect(await take(it)).toBe('caught-up@1040');
  });

  it('emits caught-up at once for an empty store', async () => {
    const { it } = setup({ head: null });
    expect(await take(it)).toBe('caught-up@null');
  });

  it('falls back to the head position when the server never signals caught-up (servers before 23.10)', async () => {
    const { it, source } = setup({ head: at(2), batchSize: 10 });
    const first = it.next();
    await new Promise((r) => setImmediate(r));
    source().feed(4);
    expect(summary((await first).value as SubscriptionMessage)).toEqual([0, 1, 2]);
    expect(await take(it)).toBe('caught-up@1020');
    // The server's own signal arriving later is not a second caught-up.
    source().emit('caughtUp');
    expect(await take(it)).toEqual([3]);
  });

  it('skips system events and events at or before `after`', async () => {
    const { it, source, openedAfter } = setup({ head: at(5), after: at(1) });
    const first = it.next();
    await new Promise((r) => setImmediate(r));
    expect(openedAfter()).toEqual(at(1));
    source().push(resolved(1));
    source().push(resolved(2));
    source().push(resolved(3, '$statsCollected'));
    source().push(resolved(5));
    expect(summary((await first).value as SubscriptionMessage)).toEqual([2, 5]);
  });

  it('follows each live batch that empties the buffer with caught-up, and resumes after fell-behind', async () => {
    const { it, source } = setup({ head: null, batchSize: 10 });
    expect(await take(it)).toBe('caught-up@null');
    source().feed(2, 0);
    expect(await take(it)).toEqual([0, 1]);
    expect(await take(it)).toBe('caught-up@1010');
    source().emit('fellBehind');
    source().feed(2, 2);
    expect(await take(it)).toEqual([2, 3]);
    source().emit('caughtUp');
    expect(await take(it)).toBe('caught-up@1030');
  });

  it('waits a moment for the rest of a live append before saying caught-up', async () => {
    const { it, source } = setup({ head: null, batchSize: 10 });
    expect(await take(it)).toBe('caught-up@null');
    source().feed(1, 0);
    setTimeout(() => source().feed(1, 1), 3);
    expect(await take(it)).toEqual([0]);
    expect(await take(it)).toEqual([1]);
    expect(await take(it)).toBe('caught-up@1010');
  });

  it('never holds more than the high-water mark in its local buffer while the consumer is slow', async () => {
    const { it, source } = setup({ head: at(999), batchSize: 5 });
    const first = it.next();
    await new Promise((r) => setImmediate(r));
    const src = source();
    // push() returns false once the buffer reaches the high-water mark: the client's Transform stops there.
    let accepted = 0;
    for (let i = 0; i < 50 && src.push(resolved(i)); i += 1) accepted += 1;
    expect(src.readableLength).toBeLessThanOrEqual(5);
    expect(accepted).toBeLessThan(5);
    expect(summary((await first).value as SubscriptionMessage)).toHaveLength(5);
  });

  it('close() unsubscribes, ends the iteration, and a break in for-await closes too', async () => {
    const { sub, it, source } = setup({ head: null });
    expect(await take(it)).toBe('caught-up@null');
    const pending = it.next();
    await sub.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(source().unsubscribed).toBe(true);

    const second = setup({ head: null });
    for await (const message of second.sub) {
      expect(message.kind).toBe('caught-up');
      break;
    }
    expect(second.source().unsubscribed).toBe(true);
  });

  it('surfaces a subscription error to the consumer and closes', async () => {
    const { it, source } = setup({ head: at(3) });
    const first = it.next();
    await new Promise((r) => setImmediate(r));
    source().destroy(new Error('server dropped the subscription'));
    await expect(first).rejects.toThrow('server dropped the subscription');
    expect(source().unsubscribed).toBe(true);
  });
});
