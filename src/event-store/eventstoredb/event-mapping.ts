import type { EventData, JSONType, RecordedEvent as ClientRecordedEvent } from '@eventstore/db-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../../contracts/envelope.js';
import { fromClientPosition } from './positions.js';

/**
 * The metadata JSON stored with every event. `$correlationId` / `$causationId` keep the `$`: that is
 * the spelling EventStoreDB's `$by_correlation_id` system projection reads.
 */
export interface StoredMetadata {
  occurredAt: string;
  source: string;
  actor?: string;
  schemaVersion: number;
  $correlationId?: string;
  $causationId?: string;
}

/** Written by something that is not lessonloop (no metadata, or not ours): the source we report. */
export const FOREIGN_SOURCE = 'eventstoredb';

export function toStoredMetadata(metadata: EventMetadata, schemaVersion: number): StoredMetadata {
  const stored: StoredMetadata = { occurredAt: metadata.occurredAt, source: metadata.source, schemaVersion };
  if (metadata.actor !== undefined) stored.actor = metadata.actor;
  if (metadata.correlationId !== undefined) stored.$correlationId = metadata.correlationId;
  if (metadata.causationId !== undefined) stored.$causationId = metadata.causationId;
  return stored;
}

function stringField(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads our metadata back. Events written by other tools may have none, binary metadata, or other keys:
 * they get the record time as `occurredAt`, `eventstoredb` as source and schema version 1.
 */
export function fromStoredMetadata(raw: unknown, recordedAt: Date): { metadata: EventMetadata; schemaVersion: number } {
  const object =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !(raw instanceof Uint8Array)
      ? (raw as Record<string, unknown>)
      : {};
  const metadata: EventMetadata = {
    occurredAt: stringField(object, 'occurredAt') ?? recordedAt.toISOString(),
    source: stringField(object, 'source') ?? FOREIGN_SOURCE,
  };
  const correlationId = stringField(object, '$correlationId');
  const causationId = stringField(object, '$causationId');
  const actor = stringField(object, 'actor');
  if (correlationId !== undefined) metadata.correlationId = correlationId;
  if (causationId !== undefined) metadata.causationId = causationId;
  if (actor !== undefined) metadata.actor = actor;
  const version = object['schemaVersion'];
  const schemaVersion = typeof version === 'number' && Number.isInteger(version) ? version : 1;
  return { metadata, schemaVersion };
}

/** A JSON event whose id is our eventId, so EventStoreDB's own idempotency check sees the same id. */
export function toEventData(event: NewEvent): EventData {
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    // JSON.stringify(undefined) is not JSON: store null instead.
    data: (event.data === undefined ? null : event.data) as JSONType,
    metadata: toStoredMetadata(event.metadata, event.schemaVersion) as unknown as JSONType,
  };
}

export class MissingPositionError extends Error {
  constructor(streamId: string, revision: bigint) {
    super(
      `EventStoreDB returned event ${streamId}@${revision} without a log position; ` +
        'positions on stream reads need EventStoreDB 22.6 or later',
    );
    this.name = 'MissingPositionError';
  }
}

export function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
  if (event.position === undefined) throw new MissingPositionError(event.streamId, event.revision);
  const position = fromClientPosition(event.position);
  const { metadata, schemaVersion } = fromStoredMetadata(event.metadata, event.created);
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion,
    data: event.data,
    metadata,
    streamId: event.streamId,
    streamRevision: event.revision,
    position,
    // The prepare position is unique per event and grows with every append: a fine display number.
    globalPosition: position.prepare,
    recordedAt: event.created,
  };
}
