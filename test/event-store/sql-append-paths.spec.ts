/**
 * The SQL store appends one stream's new events as one statement and everything else in a transaction; both
 * paths must store the same thing and fall back to each other the same way.
 */
import { ConcurrencyError } from '../../src/event-store/event-store.port.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testEvent, testEvents } from './event-store.contract.js';

describe('SQL store append paths', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase();
  });
  afterEach(async () => {
    await db.close();
  });

  it('stores null and undefined data as JSON null on the one-statement and the transaction paths', async () => {
    await db.store.appendToStream('one', [testEvent({ data: null }), testEvent({ data: undefined })]);
    await db.store.appendMany([
      { streamId: 'tx-a', events: [testEvent({ data: null })] },
      { streamId: 'tx-b', events: [testEvent({ data: undefined })] },
    ]);
    const { rows } = await db.sql.query<{ kind: string }>(`SELECT jsonb_typeof(data) AS kind FROM events`);
    expect(rows.map((r) => r.kind)).toEqual(['null', 'null', 'null', 'null']);
    expect((await db.store.readStream('one')).map((e) => e.data)).toEqual([null, null]);
  });

  it('turns a replay that fails the expectation into the stored result, and writes only the new part of a mixed one', async () => {
    const events = testEvents(3);
    const first = await db.store.appendToStream('s', events, { expectedRevision: 'no_stream' });
    const replay = await db.store.appendToStream('s', events, { expectedRevision: 'no_stream' });
    expect(replay).toEqual({ ...first, appended: 0 });

    const more = testEvents(2);
    const mixed = await db.store.appendToStream('s', [...events, ...more], { expectedRevision: 'any' });
    expect(mixed.appended).toBe(2);
    expect(mixed.nextExpectedRevision).toBe(4n);
    expect((await db.store.readStream('s')).map((e) => e.eventId)).toEqual([...events, ...more].map((e) => e.eventId));
  });

  it('reports the actual revision of a failed expectation and leaves the stream as it was', async () => {
    await db.store.appendToStream('s', testEvents(2));
    for (const expectedRevision of [0n, 'no_stream'] as const) {
      const error = await db.store.appendToStream('s', testEvents(1), { expectedRevision }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect((error as ConcurrencyError).actual).toBe(1n);
    }
    const missing = await db.store.appendToStream('nobody', testEvents(1), { expectedRevision: 'stream_exists' }).catch((e: unknown) => e);
    expect((missing as ConcurrencyError).actual).toBe('no_stream');
    const { rows } = await db.sql.query<{ n: string }>(`SELECT count(*) AS n FROM events`);
    expect(rows[0]!.n).toBe('2');
    expect(await db.store.readStream('nobody')).toEqual([]);
    const { rows: streams } = await db.sql.query<{ stream_id: string; revision: string }>(`SELECT stream_id, revision FROM streams`);
    expect(streams).toEqual([{ stream_id: 's', revision: '1' }]);
  });
});
