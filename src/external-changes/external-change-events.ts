import { EXTERNAL_CHANGE_OBSERVED_VERSION, type ExternalChangeObservedData } from '../../contracts/external.js';
import type { NewEvent } from '../../contracts/envelope.js';
import { deterministicEventId } from '../../contracts/event-id.js';
import type { ExternalChangeBody } from './dto/external-change-body.schema.js';

export function externalChangeStreamId(changeId: string): string {
  return `external-change-${changeId}`;
}

/** A change without an id gets one derived from its content, so re-sending it is a no-op. */
export function defaultChangeId(change: Omit<ExternalChangeBody, 'changeId'>): string {
  return deterministicEventId('external-change-id', change.kind, change.subject, normaliseInstant(change.occurredAt), change.description);
}

export function normaliseInstant(iso: string): string {
  return new Date(iso).toISOString();
}

export function buildExternalChangeEvent(
  change: ExternalChangeBody,
  meta: { source: string; actor?: string },
): NewEvent<'ExternalChangeObserved', ExternalChangeObservedData> {
  const changeId = change.changeId ?? defaultChangeId(change);
  return {
    eventId: deterministicEventId('ExternalChangeObserved', changeId),
    type: 'ExternalChangeObserved',
    schemaVersion: EXTERNAL_CHANGE_OBSERVED_VERSION,
    data: { changeId, kind: change.kind, subject: change.subject, description: change.description },
    metadata: {
      occurredAt: normaliseInstant(change.occurredAt),
      source: meta.source,
      ...(meta.actor !== undefined ? { actor: meta.actor } : {}),
    },
  };
}
