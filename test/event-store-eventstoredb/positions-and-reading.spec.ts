import { BACKWARDS, END, FORWARDS, START as CLIENT_START, type AllStreamRecordedEvent, type ReadPosition } from '@eventstore/db-client';
import { START, comparePositions, type Position } from '../../contracts/envelope.js';
import { fromClientPosition, isSystemEventType, toReadPosition } from '../../src/event-store/eventstoredb/positions.js';
import { findLastUserEvent, scanAllForwards, type AllPageReader } from '../../src/event-store/eventstoredb/reading.js';

describe('position mapping', () => {
  it('keeps commit and prepare as bigints', () => {
    expect(fromClientPosition({ commit: 12n, prepare: 10n })).toStrictEqual({ commit: 12n, prepare: 10n });
  });

  it('reads from the start for no position or START, else from the position itself', () => {
    expect(toReadPosition(undefined)).toBe(CLIENT_START);
    expect(toReadPosition(START)).toBe(CLIENT_START);
    expect(toReadPosition({ commit: 5n, prepare: 4n })).toStrictEqual({ commit: 5n, prepare: 4n });
  });

  it('treats types starting with $ as system events', () => {
    expect(isSystemEventType('$statsCollected')).toBe(true);
    expect(isSystemEventType('$>')).toBe(true);
    expect(isSystemEventType('EvalRunRecorded')).toBe(false);
  });
});

/** An in-memory $all whose forward reads include the start position, as EventStoreDB's do. */
function fakeLog(types: string[]): { log: AllStreamRecordedEvent[]; reader: AllPageReader; calls: number[] } {
  const log = types.map(
    (type, i) =>
      ({
        streamId: type.startsWith('$') ? '$stats' : 's',
        id: `id-${i}`,
        revision: BigInt(i),
        type,
        isJson: true,
        created: new Date(0),
        data: {},
        metadata: undefined,
        position: { commit: BigInt(100 + i * 10), prepare: BigInt(100 + i * 10) },
      }) as AllStreamRecordedEvent,
  );
  const calls: number[] = [];
  const reader: AllPageReader = async (from: ReadPosition, direction, maxCount) => {
    calls.push(maxCount);
    const at = (p: Position) => log.filter((e) => comparePositions(e.position, p) >= 0);
    if (direction === FORWARDS) {
      const rest = from === CLIENT_START ? log : at(from as Position);
      return rest.slice(0, maxCount);
    }
    expect(direction).toBe(BACKWARDS);
    const older = from === END ? log : log.filter((e) => comparePositions(e.position, from as Position) <= 0);
    return [...older].reverse().slice(0, maxCount);
  };
  return { log, reader, calls };
}

describe('scanning $all in pages', () => {
  it('visits every non-system event strictly after the position, across page boundaries', async () => {
    const { log, reader, calls } = fakeLog(['a', '$stats', 'b', 'c', '$stats', 'd', 'e', 'f']);
    const seen: string[] = [];
    await scanAllForwards(reader, log[0].position, 3, (e) => void seen.push(e.id));
    expect(seen).toEqual(['id-2', 'id-3', 'id-5', 'id-6', 'id-7']);
    expect(calls.length).toBeGreaterThan(2);
  });

  it('stops when the visitor says so', async () => {
    const { reader } = fakeLog(['a', 'b', 'c', 'd']);
    const seen: string[] = [];
    await scanAllForwards(reader, undefined, 2, (e) => (seen.push(e.id), seen.length < 3));
    expect(seen).toEqual(['id-0', 'id-1', 'id-2']);
  });

  it('finds the newest non-system event behind a run of system events longer than a page', async () => {
    const { reader } = fakeLog(['a', 'b', '$s', '$s', '$s', '$s', '$s']);
    const last = await findLastUserEvent(reader, 2);
    expect(last?.id).toBe('id-1');
  });

  it('returns null for a log with only system events', async () => {
    const { reader } = fakeLog(['$s', '$s', '$s']);
    expect(await findLastUserEvent(reader, 2)).toBeNull();
  });
});
