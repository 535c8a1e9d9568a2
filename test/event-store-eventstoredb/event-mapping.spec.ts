import type { RecordedEvent as ClientRecordedEvent } from '@eventstore/db-client';
import type { NewEvent } from '../../contracts/envelope.js';
import {
  FOREIGN_SOURCE,
  MissingPositionError,
  fromStoredMetadata,
  toEventData,
  toRecordedEvent,
  toStoredMetadata,
} from '../../src/event-store/eventstoredb/event-mapping.js';

const newEvent: NewEvent = {
  eventId: '6f1c2f9e-3d59-4a53-9a8e-0b0c8a1f2d11',
  type: 'EvalRunRecorded',
  schemaVersion: 2,
  data: { runId: 'r1', passed: 3 },
  metadata: {
    occurredAt: '2026-08-22T02:50:22.000Z',
    source: 'gptme-csv:20260822_025022Z',
    actor: 'importer',
    correlationId: 'corr-1',
    causationId: 'cause-1',
  },
};

describe('EventStoreDB metadata JSON', () => {
  it('writes correlation and causation with the $ prefix that $by_correlation_id reads', () => {
    expect(toStoredMetadata(newEvent.metadata, 2)).toStrictEqual({
      occurredAt: '2026-08-22T02:50:22.000Z',
      source: 'gptme-csv:20260822_025022Z',
      actor: 'importer',
      schemaVersion: 2,
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
    });
  });

  it('leaves absent optional fields out instead of writing undefined', () => {
    const stored = toStoredMetadata({ occurredAt: '2026-01-01T00:00:00.000Z', source: 'api' }, 1);
    expect(Object.keys(stored).sort()).toEqual(['occurredAt', 'schemaVersion', 'source']);
  });

  it('reads back exactly what it wrote (round trip through JSON)', () => {
    const raw = JSON.parse(JSON.stringify(toStoredMetadata(newEvent.metadata, 2)));
    expect(fromStoredMetadata(raw, new Date(0))).toStrictEqual({ metadata: newEvent.metadata, schemaVersion: 2 });
  });

  it('gives foreign events (no or binary metadata) the record time, the eventstoredb source and version 1', () => {
    const recordedAt = new Date('2026-03-04T05:06:07.000Z');
    const expected = { metadata: { occurredAt: recordedAt.toISOString(), source: FOREIGN_SOURCE }, schemaVersion: 1 };
    expect(fromStoredMetadata(undefined, recordedAt)).toStrictEqual(expected);
    expect(fromStoredMetadata(new Uint8Array([1, 2]), recordedAt)).toStrictEqual(expected);
    expect(fromStoredMetadata({ $correlationId: 7, schemaVersion: 'x' }, recordedAt)).toStrictEqual(expected);
  });
});

describe('EventStoreDB event data', () => {
  it('stores a JSON event whose id is our eventId', () => {
    const data = toEventData(newEvent);
    expect(data).toMatchObject({
      id: newEvent.eventId,
      contentType: 'application/json',
      type: 'EvalRunRecorded',
      data: { runId: 'r1', passed: 3 },
      metadata: { schemaVersion: 2, $correlationId: 'corr-1', $causationId: 'cause-1' },
    });
  });

  it('stores undefined data as null so the payload stays valid JSON', () => {
    expect(toEventData({ ...newEvent, data: undefined }).data).toBeNull();
  });
});

describe('EventStoreDB recorded event mapping', () => {
  const created = new Date('2026-08-22T03:00:00.000Z');
  const clientEvent = {
    streamId: 'eval-run-r1',
    id: newEvent.eventId,
    isJson: true,
    revision: 4n,
    type: 'EvalRunRecorded',
    created,
    data: { runId: 'r1', passed: 3 },
    metadata: JSON.parse(JSON.stringify(toStoredMetadata(newEvent.metadata, 2))),
    position: { commit: 9000n, prepare: 8800n },
  } as ClientRecordedEvent;

  it('maps stream, revision, {commit, prepare}, prepare as global position, created as recordedAt', () => {
    expect(toRecordedEvent(clientEvent)).toStrictEqual({
      eventId: newEvent.eventId,
      type: 'EvalRunRecorded',
      schemaVersion: 2,
      data: { runId: 'r1', passed: 3 },
      metadata: newEvent.metadata,
      streamId: 'eval-run-r1',
      streamRevision: 4n,
      position: { commit: 9000n, prepare: 8800n },
      globalPosition: 8800n,
      recordedAt: created,
    });
  });

  it('refuses an event without a log position (servers older than 22.6) with a clear error', () => {
    const withoutPosition = { ...clientEvent, position: undefined } as ClientRecordedEvent;
    expect(() => toRecordedEvent(withoutPosition)).toThrow(MissingPositionError);
    expect(() => toRecordedEvent(withoutPosition)).toThrow(/eval-run-r1@4.*22\.6/);
  });
});
