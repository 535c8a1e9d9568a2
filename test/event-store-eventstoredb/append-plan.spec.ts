import type { NewEvent } from '../../contracts/envelope.js';
import { ConcurrencyError } from '../../src/event-store/event-store.port.js';
import { planAppend, tailAfter, type StreamTail } from '../../src/event-store/eventstoredb/append-plan.js';

const event = (id: string): NewEvent => ({
  eventId: id,
  type: 'T',
  schemaVersion: 1,
  data: {},
  metadata: { occurredAt: '2026-01-01T00:00:00.000Z', source: 'test' },
});

const emptyTail: StreamTail = { revision: null, known: new Map() };
const tailWith = (...ids: string[]): StreamTail => ({
  revision: BigInt(ids.length - 1),
  lastPosition: { commit: 99n, prepare: 99n },
  known: new Map(ids.map((id, i) => [id, { revision: BigInt(i), position: { commit: BigInt(i), prepare: BigInt(i) } }])),
});

describe('planning an EventStoreDB append', () => {
  it('writes every event of a new stream', () => {
    const plan = planAppend('s', [event('a'), event('b')], 'no_stream', emptyTail);
    expect(plan).toMatchObject({ kind: 'write', revisionBefore: null, expected: 'no_stream' });
    expect(plan.kind === 'write' && plan.events.map((e) => e.eventId)).toEqual(['a', 'b']);
  });

  it('treats a batch of already stored ids as a replay reported at the stored copy, whatever the expectation', () => {
    const plan = planAppend('s', [event('a'), event('b')], 'no_stream', tailWith('a', 'b', 'c'));
    expect(plan).toEqual({
      kind: 'replay',
      streamId: 's',
      revision: 2n,
      storedAt: { revision: 1n, position: { commit: 1n, prepare: 1n } },
    });
  });

  it('writes only the ids not stored yet, and drops ids repeated inside the batch', () => {
    const plan = planAppend('s', [event('b'), event('x'), event('x'), event('y')], 'any', tailWith('a', 'b'));
    expect(plan.kind === 'write' && plan.events.map((e) => e.eventId)).toEqual(['x', 'y']);
  });

  it('refuses a wrong expectation before anything is written', () => {
    expect(() => planAppend('s', [event('x')], 0n, tailWith('a', 'b'))).toThrow(ConcurrencyError);
    try {
      planAppend('s', [event('x')], 'stream_exists', emptyTail);
    } catch (error) {
      expect(error).toMatchObject({ streamId: 's', expected: 'stream_exists', actual: 'no_stream' });
    }
    expect.assertions(2);
  });

  it('answers an empty batch with the current revision and position, still checking the expectation', () => {
    expect(planAppend('s', [], 1n, tailWith('a', 'b'))).toEqual({
      kind: 'empty',
      streamId: 's',
      revision: 1n,
      lastPosition: { commit: 99n, prepare: 99n },
    });
    expect(() => planAppend('s', [], 'no_stream', tailWith('a'))).toThrow(ConcurrencyError);
  });

  it('advances the tail past a planned write, so a stream named twice in appendMany plans correctly', () => {
    const first = planAppend('s', [event('a'), event('b')], 'no_stream', emptyTail);
    const tail = tailAfter(emptyTail, first);
    expect(tail.revision).toBe(1n);
    expect(planAppend('s', [event('c')], 1n, tail)).toMatchObject({ kind: 'write', revisionBefore: 1n });
    expect(planAppend('s', [event('a')], 'any', tail)).toMatchObject({ kind: 'replay', storedAt: { revision: 0n } });
  });
});
