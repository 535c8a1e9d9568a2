import { ANY, NO_STREAM, STREAM_EXISTS, StreamNotFoundError, UnavailableError, WrongExpectedVersionError } from '@eventstore/db-client';
import { ConcurrencyError, EventStoreUnavailableError } from '../../src/event-store/event-store.port.js';
import { isConnectionFailure, isStreamNotFound, toStoreError, unavailableError } from '../../src/event-store/eventstoredb/errors.js';
import { expectedRevisionHolds, toClientExpectedRevision } from '../../src/event-store/eventstoredb/revisions.js';

describe('expected revision mapping', () => {
  it("maps the three named cases to the client's constants and passes revisions through", () => {
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision(0n)).toBe(0n);
    expect(toClientExpectedRevision(41n)).toBe(41n);
  });

  it('rejects a negative revision instead of sending it', () => {
    expect(() => toClientExpectedRevision(-1n)).toThrow(RangeError);
  });

  it('checks an expectation against the current revision like the server does', () => {
    expect(expectedRevisionHolds('any', null)).toBe(true);
    expect(expectedRevisionHolds('no_stream', null)).toBe(true);
    expect(expectedRevisionHolds('no_stream', 0n)).toBe(false);
    expect(expectedRevisionHolds('stream_exists', null)).toBe(false);
    expect(expectedRevisionHolds('stream_exists', 3n)).toBe(true);
    expect(expectedRevisionHolds(3n, 3n)).toBe(true);
    expect(expectedRevisionHolds(2n, 3n)).toBe(false);
    expect(expectedRevisionHolds(0n, null)).toBe(false);
  });
});

describe('error mapping', () => {
  it('turns WrongExpectedVersionError into ConcurrencyError with our expected and the actual revision', () => {
    const wrong = new WrongExpectedVersionError(undefined, { streamName: 's-1', expected: 2n, current: 5n });
    const mapped = toStoreError(wrong, 's-1', 2n);
    expect(mapped).toBeInstanceOf(ConcurrencyError);
    expect(mapped).toMatchObject({ streamId: 's-1', expected: 2n, actual: 5n });
  });

  it("reports a missing stream as actual 'no_stream'", () => {
    const wrong = new WrongExpectedVersionError(undefined, { streamName: 's-2', expected: 'stream_exists', current: 'no_stream' });
    expect(toStoreError(wrong, 's-2', 'stream_exists')).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
  });

  it('passes other errors through unchanged', () => {
    const other = new UnavailableError(undefined, 'down');
    expect(toStoreError(other, 's', 'any')).toBe(other);
    expect(toStoreError('text', 's', 'any')).toBe('text');
  });

  it('recognises a missing stream and connection failures', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'nope'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
    expect(isStreamNotFound(null)).toBe(false);
    expect(isConnectionFailure(new UnavailableError())).toBe(true);
    expect(isConnectionFailure(new Error('x'))).toBe(false);
  });

  it('describes an unreachable server by host, tls mode and what to check', () => {
    const error = unavailableError({ hosts: ['db.internal:2113'], discover: false, tls: true }, new Error('ECONNREFUSED'));
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(error.message).toContain('db.internal:2113');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('tls=false');
    expect(error.message).toContain('EVENTSTORE_CONNECTION_STRING');
  });
});
