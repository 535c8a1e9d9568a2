/**
 * Catching up with `eventTypes` (SubscribeOptions): every store delivers every event of the types, in order, and
 * reaches the head; a SQL store sends only those (and the head), never skipping one held back by the horizon.
 */
import { comparePositions, type Position, type RecordedEvent } from '../../contracts/envelope.js';
import type { SubscriptionMessage } from '../../src/event-store/event-store.port.js';
import { testEvents, type ContractSubject } from './event-store.contract.js';

const WANTED = 'WantedProbe';

interface Collected {
  received: RecordedEvent[];
  passed: number;
  caughtUp: Array<Position | null>;
}

async function collectUntil(
  iterator: AsyncIterator<SubscriptionMessage>,
  into: Collected,
  done: (c: Collected) => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done(into)) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))));
    const result = await Promise.race([iterator.next(), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') throw new Error(`not there within ${timeoutMs} ms: ${into.received.length} events received`);
    if (result.done) throw new Error('subscription ended early');
    const message = result.value;
    if (message.kind === 'events') {
      into.received.push(...message.events);
      into.passed += message.passed ?? message.events.length;
    } else into.caughtUp.push(message.position);
  }
}

const ids = (events: RecordedEvent[]) => events.map((e) => e.eventId);
const wantedOnly = (events: RecordedEvent[]) => events.filter((e) => e.type === WANTED);

function expectStrictlyOrdered(events: RecordedEvent[]): void {
  for (let i = 1; i < events.length; i++) expect(comparePositions(events[i - 1]!.position, events[i]!.position)).toBeLessThan(0);
}

export function describeFilteredCatchUp(name: string, openSubject: () => Promise<ContractSubject>): void {
  describe(`subscribeToAll with eventTypes: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await openSubject();
    });
    afterEach(async () => {
      await subject?.close();
    });

    it('catches up on every event of the types in order, to the head, counting all it passed; then every type live', async () => {
      const { store } = subject;
      // 25 events, every fifth wanted; the log ends with two others.
      await store.appendToStream('mixed', testEvents(25, (i) => (i % 5 === 2 ? { type: WANTED } : {})));
      const all = await store.readAll();
      const head = await store.headPosition();
      const subscription = store.subscribeToAll({ batchSize: 2, pollIntervalMs: 30_000, eventTypes: [WANTED] });
      const iterator = subscription[Symbol.asyncIterator]();
      const got: Collected = { received: [], passed: 0, caughtUp: [] };
      await collectUntil(iterator, got, (c) => c.caughtUp.length === 1);
      expect(ids(wantedOnly(got.received))).toEqual(ids(wantedOnly(all)));
      expectStrictlyOrdered(got.received);
      expect(got.received[got.received.length - 1]!.position).toEqual(head);
      expect(got.caughtUp[0]).toEqual(head);
      expect(got.passed).toBe(25);
      if (subject.sql) expect(got.received).toHaveLength(5 + 1); // the wanted ones and the head, nothing else sent

      const live = await store.appendToStream('live', testEvents(1));
      await collectUntil(iterator, got, (c) => c.caughtUp.length === 2);
      expect(got.received[got.received.length - 1]!.eventId).toBe(ids(await store.readStream('live'))[0]);
      expect(got.caughtUp[1]).toEqual(live.position);
      await subscription.close();
    });

    it('ends on a wanted last event once, without repeating it as the head', async () => {
      const { store } = subject;
      await store.appendToStream('mixed', testEvents(9, (i) => (i % 4 === 0 ? { type: WANTED } : {})));
      const subscription = store.subscribeToAll({ batchSize: 2, pollIntervalMs: 30_000, eventTypes: [WANTED] });
      const got: Collected = { received: [], passed: 0, caughtUp: [] };
      await collectUntil(subscription[Symbol.asyncIterator](), got, (c) => c.caughtUp.length === 1);
      expect(ids(wantedOnly(got.received))).toEqual(ids(wantedOnly(await store.readAll())));
      expect(new Set(ids(got.received)).size).toBe(got.received.length);
      expect(got.passed).toBe(9);
      await subscription.close();
    });
  });
}

/** SQL stores: an event of the types held back by an older open transaction is delivered, not jumped over. */
export function describeFilteredCatchUpUnderLateCommit(name: string, openSubject: () => Promise<ContractSubject>): void {
  describe(`subscribeToAll with eventTypes under a late committer: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await openSubject();
    });
    afterEach(async () => {
      await subject?.close();
    });

    it('does not move past a wanted event whose transaction commits after later ones', async () => {
      const { store, sql } = subject;
      await store.appendToStream('before', testEvents(3));
      const late = testEvents(1, () => ({ type: WANTED }));
      const slow = sql!.slowAppend('slow', late, 800);
      await new Promise((resolve) => setTimeout(resolve, 150)); // the slow transaction has its position by now
      const subscription = store.subscribeToAll({ batchSize: 2, pollIntervalMs: 100, eventTypes: [WANTED] });
      const iterator = subscription[Symbol.asyncIterator]();
      const got: Collected = { received: [], passed: 0, caughtUp: [] };
      await store.appendToStream('fast', testEvents(3)); // commits first, sorts after the slow one
      await collectUntil(iterator, got, (c) => c.received.some((e) => e.eventId === late[0]!.eventId));
      await slow;
      await store.appendToStream('end', testEvents(1));
      await collectUntil(iterator, got, (c) => c.received.some((e) => e.streamId === 'end'));
      expectStrictlyOrdered(got.received);
      expect(got.passed).toBe(8);
      await subscription.close();
    });
  });
}
