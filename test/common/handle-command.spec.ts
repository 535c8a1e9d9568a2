/** handleCommand on a real store (PGlite, or PostgreSQL with DATABASE_URL): read, fold, decide, append, retry, conflict. */
import type { ArgumentsHost } from '@nestjs/common';
import type { Decider } from '../../src/common/commands/decider.js';
import { handleCommand } from '../../src/common/commands/handle-command.js';
import { StreamConflictError } from '../../src/common/commands/stream-conflict.error.js';
import { StreamConflictFilter } from '../../src/common/commands/stream-conflict.filter.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

/** A counter that refuses to go past `max`: the smallest decider that can refuse and that a race can change. */
class OverLimitError extends Error {}
type Added = { type: 'ExternalChangeObserved'; data: { changeId: string; kind: 'other'; subject: string; description: string } };
const counter: Decider<{ add: number; max: number }, number, Added> = {
  initialState: () => 0,
  evolve: (count, event) => (event.type === 'ExternalChangeObserved' ? count + 1 : count),
  decide({ add, max }, count) {
    if (count + add > max) throw new OverLimitError(`${count} + ${add} > ${max}`);
    return Array.from({ length: add }, (_, i) => ({
      type: 'ExternalChangeObserved' as const,
      data: { changeId: `c${count + i}`, kind: 'other' as const, subject: 's', description: 'd' },
    }));
  },
};
const metadata = { occurredAt: '2026-04-01T00:00:00.000Z', source: 'test' };

/** Another writer appends one event to the stream just before each of our first `times` appends. */
function losingRaces(store: EventStore, times: number): EventStore {
  let left = times;
  return {
    ...store,
    kind: store.kind,
    readStream: (...args) => store.readStream(...args),
    async appendToStream(streamId, events, options) {
      if (left-- > 0) await handleCommand(store, streamId, { add: 1, max: 100 }, counter, { metadata });
      return store.appendToStream(streamId, events, options);
    },
  };
}

describe('handleCommand', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase();
  });
  afterEach(async () => {
    await db.close();
  });

  it('appends what the decider decides on the folded stream, with the revision it read, and returns the new state', async () => {
    const first = await handleCommand(db.store, 's', { add: 2, max: 3 }, counter, { metadata });
    expect(first).toMatchObject({ state: 2, appended: 2, nextExpectedRevision: 1n });
    const second = await handleCommand(db.store, 's', { add: 1, max: 3 }, counter, { metadata, eventId: (_e, i) => `00000000-0000-4000-8000-00000000000${i + 1}` });
    expect(second).toMatchObject({ state: 3, appended: 1, nextExpectedRevision: 2n });
    expect((await db.store.readStream('s')).map((e) => [e.streamRevision, e.metadata.source])).toEqual([[0n, 'test'], [1n, 'test'], [2n, 'test']]);
    expect((await db.store.readStream('s'))[2]!.eventId).toBe('00000000-0000-4000-8000-000000000001');
  });

  it('a refusal appends nothing; an empty decision appends nothing and answers the state read', async () => {
    await handleCommand(db.store, 's', { add: 2, max: 3 }, counter, { metadata });
    await expect(handleCommand(db.store, 's', { add: 2, max: 3 }, counter, { metadata })).rejects.toBeInstanceOf(OverLimitError);
    const nothing = await handleCommand(db.store, 's', { add: 0, max: 3 }, counter, { metadata });
    expect(nothing).toMatchObject({ state: 2, appended: 0, events: [], nextExpectedRevision: 1n });
    expect(nothing.position).not.toBeNull();
    expect(await db.store.readStream('s')).toHaveLength(2);
  });

  it('after losing a race it reads and decides again: the decider sees the winner and refuses or decides anew', async () => {
    const won = await handleCommand(losingRaces(db.store, 2), 's', { add: 1, max: 10 }, counter, { metadata });
    expect(won.state).toBe(3);
    await expect(handleCommand(losingRaces(db.store, 1), 's', { add: 7, max: 10 }, counter, { metadata })).rejects.toBeInstanceOf(OverLimitError);
    expect(await db.store.readStream('s')).toHaveLength(4);
  });

  it('losing every retry is a StreamConflictError, which HTTP answers with 409', async () => {
    const error = await handleCommand(losingRaces(db.store, 3), 's', { add: 1, max: 10 }, counter, { metadata, retries: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamConflictError);
    expect(error).toMatchObject({ streamId: 's', attempts: 3, expectedRevision: 1n, currentRevision: 2n });
    let answer: { status?: number; body?: unknown } = {};
    const response = { status: (status: number) => ((answer.status = status), response), send: (body: unknown) => (answer.body = body) };
    new StreamConflictFilter().catch(error as StreamConflictError, { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost);
    expect(answer).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict', streamId: 's' } });
  });
});
