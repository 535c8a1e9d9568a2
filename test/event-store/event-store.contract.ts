/**
 * The behaviour every EventStore must show, run against each engine by its own spec file.
 * Each test opens a fresh, empty store.
 */
import { randomUUID } from 'node:crypto';
import { comparePositions, type NewEvent, type Position, type RecordedEvent } from '../../contracts/envelope.js';
import { ConcurrencyError, type EventStore, type SubscriptionMessage } from '../../src/event-store/event-store.port.js';

export interface ContractSubject {
  store: EventStore;
  close(): Promise<void>;
  /** Present for the SQL stores: hooks into the database behind the store. */
  sql?: SqlHooks;
}

export interface SqlHooks {
  /** Appends inside a transaction that takes its sequence values now and commits only after `delayMs`. */
  slowAppend(streamId: string, events: NewEvent[], delayMs: number): Promise<void>;
  /** Appends inside a transaction and rolls it back, leaving holes in the global sequence. */
  rolledBackAppend(streamId: string, events: NewEvent[]): Promise<void>;
  /** Runs one statement against the store's database. */
  execute(statement: string): Promise<unknown>;
}

export function testEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'ContractProbe',
    schemaVersion: 1,
    data: { note: 'tab\there, newline\nhere, backslash \\ and "quotes"', n: 1, nested: { list: [1, 2, 3] } },
    metadata: { occurredAt: '2026-08-22T02:50:22.000Z', source: 'contract-test', correlationId: randomUUID() },
    ...overrides,
  };
}

export function testEvents(count: number, make: (i: number) => Partial<NewEvent> = () => ({})): NewEvent[] {
  return Array.from({ length: count }, (_, i) => testEvent(make(i)));
}

export function describeEventStoreContract(name: string, openSubject: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeEach(async () => {
      subject = await openSubject();
      store = subject.store;
    });
    afterEach(async () => {
      await subject?.close();
    });

    describe('streams', () => {
      it('appends to a new stream and reads it back in revision order, envelope intact', async () => {
        const events = testEvents(3, (i) => ({ data: { i, text: `line ${i}\n\ttabbed \\ slash` } }));
        const result = await store.appendToStream('run-1', events, { expectedRevision: 'no_stream' });
        expect(result.appended).toBe(3);
        expect(result.nextExpectedRevision).toBe(2n);

        const read = await store.readStream('run-1');
        expect(read.map((e) => e.streamRevision)).toEqual([0n, 1n, 2n]);
        expect(read.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        for (const [i, e] of read.entries()) {
          expect(e).toMatchObject({ streamId: 'run-1', type: events[i]!.type, schemaVersion: 1, data: events[i]!.data });
          expect(e.metadata).toEqual(events[i]!.metadata);
          expect(e.recordedAt).toBeInstanceOf(Date);
          expect(typeof e.globalPosition).toBe('bigint');
        }
        expect(read[2]!.position).toEqual(result.position);
        expect(read[2]!.globalPosition).toBe(result.globalPosition);
      });

      it('reads from a revision, at most maxCount, and an unknown stream as empty', async () => {
        await store.appendToStream('s', testEvents(5));
        const read = await store.readStream('s', { fromRevision: 2n, maxCount: 2 });
        expect(read.map((e) => e.streamRevision)).toEqual([2n, 3n]);
        expect(await store.readStream('nobody')).toEqual([]);
      });

      it('continues revisions across appends', async () => {
        const first = await store.appendToStream('s', testEvents(2));
        const second = await store.appendToStream('s', testEvents(3), { expectedRevision: first.nextExpectedRevision });
        expect(second.nextExpectedRevision).toBe(4n);
        expect((await store.readStream('s')).map((e) => e.streamRevision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      });
    });

    describe('expected revision', () => {
      async function expectConflict(attempt: Promise<unknown>, actual: bigint | 'no_stream'): Promise<void> {
        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect((error as ConcurrencyError).actual).toBe(actual);
      }

      it('no_stream: creates, then refuses once the stream exists', async () => {
        await store.appendToStream('s', [testEvent()], { expectedRevision: 'no_stream' });
        await expectConflict(store.appendToStream('s', [testEvent()], { expectedRevision: 'no_stream' }), 0n);
        expect(await store.readStream('s')).toHaveLength(1);
      });

      it('stream_exists: refuses a missing stream, accepts an existing one', async () => {
        await expectConflict(store.appendToStream('s', [testEvent()], { expectedRevision: 'stream_exists' }), 'no_stream');
        expect(await store.readStream('s')).toEqual([]);
        await store.appendToStream('s', [testEvent()]);
        const result = await store.appendToStream('s', [testEvent()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('exact revision: accepts the current one, refuses a stale or missing one without writing', async () => {
        await expectConflict(store.appendToStream('s', [testEvent()], { expectedRevision: 0n }), 'no_stream');
        await store.appendToStream('s', testEvents(2));
        await store.appendToStream('s', [testEvent()], { expectedRevision: 1n });
        await expectConflict(store.appendToStream('s', testEvents(2), { expectedRevision: 1n }), 2n);
        await expectConflict(store.appendToStream('s', testEvents(2), { expectedRevision: 7n }), 2n);
        expect((await store.readStream('s')).map((e) => e.streamRevision)).toEqual([0n, 1n, 2n]);
      });

      it('any: appends whatever the state', async () => {
        await store.appendToStream('s', [testEvent()], { expectedRevision: 'any' });
        const result = await store.appendToStream('s', [testEvent()], { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('lets exactly one of two racing writers with the same expectation win', async () => {
        await store.appendToStream('s', [testEvent()]);
        const attempts = await Promise.allSettled([
          store.appendToStream('s', [testEvent()], { expectedRevision: 0n }),
          store.appendToStream('s', [testEvent()], { expectedRevision: 0n }),
        ]);
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        const failure = attempts.find((a) => a.status === 'rejected') as PromiseRejectedResult;
        expect(failure.reason).toBeInstanceOf(ConcurrencyError);
        expect(await store.readStream('s')).toHaveLength(2);
      });
    });

    describe('idempotent re-append', () => {
      it('stores nothing new for the same event ids and returns the stored result, whatever the expectation', async () => {
        const events = testEvents(3);
        const first = await store.appendToStream('s', events, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream('s', events, { expectedRevision: 'no_stream' });
        expect(again).toEqual({ ...first, appended: 0 });
        expect(await store.readStream('s')).toHaveLength(3);
        expect(await store.countAfter()).toBe(3);
      });

      it('writes only the events not stored yet', async () => {
        const events = testEvents(2);
        await store.appendToStream('s', events);
        const extra = testEvent();
        const result = await store.appendToStream('s', [...events, extra]);
        expect(result.appended).toBe(1);
        expect((await store.readStream('s')).map((e) => e.eventId)).toEqual([...events, extra].map((e) => e.eventId));
      });

      it('replays a whole appendMany without writing anything', async () => {
        const batch = [
          { streamId: 'a', events: testEvents(2), expectedRevision: 'no_stream' as const },
          { streamId: 'b', events: testEvents(1), expectedRevision: 'no_stream' as const },
        ];
        const first = await store.appendMany(batch);
        const again = await store.appendMany(batch);
        expect(again.map((r) => r.appended)).toEqual([0, 0]);
        expect(again.map((r) => r.position)).toEqual(first.map((r) => r.position));
        expect(await store.countAfter()).toBe(3);
      });
    });

    describe('global order', () => {
      it('reads all events in one total order, after a position exclusively, with maxCount', async () => {
        await store.appendToStream('a', testEvents(2));
        await store.appendToStream('b', testEvents(3));
        await store.appendToStream('a', testEvents(1));
        const all = await store.readAll();
        expect(all).toHaveLength(6);
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
        expect(all.map((e) => e.streamId)).toEqual(['a', 'a', 'b', 'b', 'b', 'a']);

        const after = await store.readAll({ after: all[1]!.position });
        expect(after.map((e) => e.eventId)).toEqual(all.slice(2).map((e) => e.eventId));
        const page = await store.readAll({ after: all[1]!.position, maxCount: 2 });
        expect(page.map((e) => e.eventId)).toEqual(all.slice(2, 4).map((e) => e.eventId));
        expect(await store.readAll({ after: all[5]!.position })).toEqual([]);
      });

      it('reports the head position and the lag after a position', async () => {
        expect(await store.headPosition()).toBeNull();
        expect(await store.countAfter()).toBe(0);
        await store.appendToStream('a', testEvents(4));
        const all = await store.readAll();
        expect(await store.headPosition()).toEqual(all[3]!.position);
        expect(await store.countAfter()).toBe(4);
        expect(await store.countAfter(all[0]!.position)).toBe(3);
        expect(await store.countAfter(all[3]!.position)).toBe(0);
      });
    });

    describe('appendMany', () => {
      it('writes 10,000 events across 100 streams in one call, in order', async () => {
        const appends = Array.from({ length: 100 }, (_, s) => ({
          streamId: `bulk-${s}`,
          events: testEvents(100, (i) => ({ data: { s, i } })),
          expectedRevision: 'no_stream' as const,
        }));
        const results = await store.appendMany(appends);
        expect(results).toHaveLength(100);
        expect(results.every((r) => r.appended === 100 && r.nextExpectedRevision === 99n)).toBe(true);
        expect(await store.countAfter()).toBe(10_000);
        const stream = await store.readStream('bulk-42');
        expect(stream.map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
        const all = await store.readAll();
        expect(all[all.length - 1]!.position).toEqual(results[results.length - 1]!.position);
      });

      it('replays a large batch (the import path) as a no-op, and writes only the new part of a mixed one', async () => {
        const appends = Array.from({ length: 25 }, (_, s) => ({
          streamId: `import-${s}`,
          events: testEvents(100),
          expectedRevision: 'no_stream' as const,
        }));
        const first = await store.appendMany(appends);
        const replay = await store.appendMany(appends);
        expect(replay.map((r) => r.appended)).toEqual(appends.map(() => 0));
        expect(replay.map((r) => r.position)).toEqual(first.map((r) => r.position));
        expect(await store.countAfter()).toBe(2500);

        const extended = appends.map((a) => ({ streamId: a.streamId, events: [...a.events, ...testEvents(10)] }));
        const mixed = await store.appendMany(extended);
        expect(mixed.map((r) => r.appended)).toEqual(appends.map(() => 10));
        expect(mixed.every((r) => r.nextExpectedRevision === 109n)).toBe(true);
        expect(await store.countAfter()).toBe(2750);
      });

      it('is all or nothing: one conflicting stream writes nothing at all', async () => {
        await store.appendToStream('taken', [testEvent()]);
        const attempt = store.appendMany([
          { streamId: 'fresh-1', events: testEvents(500), expectedRevision: 'no_stream' },
          { streamId: 'taken', events: testEvents(500), expectedRevision: 'no_stream' },
          { streamId: 'fresh-2', events: testEvents(2000), expectedRevision: 'no_stream' },
        ]);
        await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.countAfter()).toBe(1);
        expect(await store.readStream('fresh-1')).toEqual([]);
        expect(await store.readStream('fresh-2')).toEqual([]);
      });

      it('checks a second append to the same stream against the first one', async () => {
        const ok = await store.appendMany([
          { streamId: 's', events: testEvents(2), expectedRevision: 'no_stream' },
          { streamId: 's', events: testEvents(1), expectedRevision: 1n },
        ]);
        expect(ok.map((r) => r.nextExpectedRevision)).toEqual([1n, 2n]);
        await expect(
          store.appendMany([
            { streamId: 't', events: testEvents(2), expectedRevision: 'no_stream' },
            { streamId: 't', events: testEvents(1), expectedRevision: 'no_stream' },
          ]),
        ).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.readStream('t')).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, says so, receives live appends, says so again, and closes promptly', async () => {
        await store.appendToStream('a', testEvents(3));
        // A long poll interval: live delivery has to come from the wake-up, not from polling.
        const subscription = store.subscribeToAll({ batchSize: 2, pollIntervalMs: 30_000 });
        const iterator = subscription[Symbol.asyncIterator]();
        const received: RecordedEvent[] = [];
        const caughtUp: Array<Position | null> = [];
        async function until(condition: () => boolean): Promise<void> {
          while (!condition()) {
            const { value, done } = (await iterator.next()) as IteratorResult<SubscriptionMessage>;
            if (done) throw new Error('subscription ended early');
            if (value.kind === 'events') received.push(...value.events);
            else caughtUp.push(value.position);
          }
        }
        await until(() => caughtUp.length === 1);
        expect(received).toHaveLength(3);
        expect(caughtUp[0]).toEqual(received[2]!.position);

        const live = await store.appendToStream('b', testEvents(2));
        await until(() => caughtUp.length === 2);
        expect(received).toHaveLength(5);
        expect(caughtUp[1]).toEqual(live.position);
        expect(received.map((e) => e.streamId)).toEqual(['a', 'a', 'a', 'b', 'b']);

        const pending = iterator.next();
        const started = Date.now();
        await subscription.close();
        await expect(pending).resolves.toMatchObject({ done: true });
        expect(Date.now() - started).toBeLessThan(5000);
      });

      it('starts after a given position and says caught-up on an empty tail', async () => {
        await store.appendToStream('a', testEvents(3));
        const [, second] = await store.readAll();
        const subscription = store.subscribeToAll({ after: second!.position, pollIntervalMs: 100 });
        const messages: SubscriptionMessage[] = [];
        for await (const message of subscription) {
          messages.push(message);
          if (message.kind === 'caught-up') break;
        }
        expect(messages[0]).toMatchObject({ kind: 'events' });
        expect((messages[0] as { events: RecordedEvent[] }).events).toHaveLength(1);
        expect(messages[1]).toMatchObject({ kind: 'caught-up' });
      });
    });

    describe('concurrent writers', () => {
      it('a polling reader sees every committed event exactly once, in order, never below its checkpoint', async () => {
        const sql = subject.sql;
        const committed = new Set<string>();
        const rolledBack = new Set<string>();
        const writers = 8;
        const rounds = 12;
        let writing = true;

        async function writer(w: number): Promise<void> {
          for (let round = 0; round < rounds; round++) {
            const events = testEvents(1 + ((w + round) % 3), () => ({ data: { w, round } }));
            const stream = round % 2 === 0 ? `writer-${w}` : `shared-${round % 3}`;
            if (sql && round % 4 === 1) {
              // Takes its sequence values now, commits ~40-120 ms later: later sequence values commit first.
              await sql.slowAppend(stream, events, 40 + ((w * 17 + round * 7) % 80));
              events.forEach((e) => committed.add(e.eventId));
            } else if (sql && round % 5 === 3) {
              await sql.rolledBackAppend(stream, events);
              events.forEach((e) => rolledBack.add(e.eventId));
            } else {
              await store.appendToStream(stream, events);
              events.forEach((e) => committed.add(e.eventId));
            }
          }
        }

        const seen: RecordedEvent[] = [];
        const seenIds = new Set<string>();
        let checkpoint: Position | undefined;
        async function reader(): Promise<void> {
          for (;;) {
            const stillWriting = writing;
            const batch = await store.readAll({ after: checkpoint, maxCount: 25 });
            for (const event of batch) {
              if (checkpoint) expect(comparePositions(event.position, checkpoint)).toBe(1);
              expect(seenIds.has(event.eventId)).toBe(false);
              seenIds.add(event.eventId);
              seen.push(event);
              checkpoint = event.position;
            }
            if (!stillWriting && batch.length === 0) return;
            await new Promise((r) => setTimeout(r, 3));
          }
        }

        // The reader a bare global_position checkpoint would give: it must miss events on PostgreSQL, which
        // shows the writers really did commit out of sequence order while the reader was polling.
        const naiveSeen = new Set<string>();
        async function naiveReader(): Promise<void> {
          let naiveCheckpoint = 0n;
          for (;;) {
            const stillWriting = writing;
            const { rows } = (await sql!.execute(
              `SELECT event_id, global_position FROM events WHERE global_position > ${naiveCheckpoint} ORDER BY global_position`,
            )) as { rows: Array<{ event_id: string; global_position: string }> };
            for (const row of rows) {
              naiveSeen.add(row.event_id);
              naiveCheckpoint = BigInt(row.global_position);
            }
            if (!stillWriting) return;
            await new Promise((r) => setTimeout(r, 2));
          }
        }

        // On PGlite the writers queue on one session (the client's mutex), so their transactions cannot
        // overlap; the test still checks the reader's contract there. On PostgreSQL they run on separate
        // pooled connections and really do interleave.
        const interleaving = sql !== undefined && store.kind === 'postgres';
        const reading = Promise.all([reader(), interleaving ? naiveReader() : undefined]);
        await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
        writing = false;
        await reading;

        expect(seen.length).toBe(committed.size);
        expect([...seenIds].sort()).toEqual([...committed].sort());
        for (const id of rolledBack) expect(seenIds.has(id)).toBe(false);
        const all = await store.readAll();
        expect(all.map((e) => e.eventId)).toEqual(seen.map((e) => e.eventId));
        if (sql) {
          expect(rolledBack.size).toBeGreaterThan(0);
          const holes = (await sql.execute('SELECT max(global_position) - count(*) AS holes FROM events')) as {
            rows: Array<{ holes: string }>;
          };
          expect(Number(holes.rows[0]!.holes)).toBeGreaterThan(0);
        }
        if (interleaving) {
          const missedByNaive = [...committed].filter((id) => !naiveSeen.has(id)).length;
          expect(missedByNaive).toBeGreaterThan(0);
        }
      });
    });
  });
}

/** The SQL-only guarantees, for the stores whose database the test can reach. */
export function describeSqlEventStoreGuarantees(name: string, openSubject: () => Promise<ContractSubject>): void {
  describe(`SQL event store guarantees: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await openSubject();
    });
    afterEach(async () => {
      await subject?.close();
    });

    it('refuses UPDATE, DELETE and TRUNCATE on events (append-only in the database itself)', async () => {
      await subject.store.appendToStream('s', testEvents(2));
      const sql = subject.sql!;
      await expect(sql.execute(`UPDATE events SET type = 'Forged'`)).rejects.toThrow(/append-only/);
      await expect(sql.execute(`DELETE FROM events`)).rejects.toThrow(/append-only/);
      await expect(sql.execute(`TRUNCATE events`)).rejects.toThrow(/append-only/);
      expect((await subject.store.readStream('s')).map((e) => e.type)).toEqual(['ContractProbe', 'ContractProbe']);
    });
  });
}
