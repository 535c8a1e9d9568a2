import { deterministicEventId } from '../../contracts/event-id.js';
import type { ExternalChange } from './domain/external-change-decider.js';
import type { ExternalChangeBody } from './dto/external-change-body.schema.js';

export function externalChangeStreamId(changeId: string): string {
  return `external-change-${changeId}`;
}

/** The id of a change's one event: derived from the changeId, so a re-sent change is found stored. */
export function externalChangeEventId(changeId: string): string {
  return deterministicEventId('ExternalChangeObserved', changeId);
}

/** A change without an id gets one derived from its content, so re-sending it is a no-op. */
export function defaultChangeId(change: Omit<ExternalChangeBody, 'changeId'>): string {
  return deterministicEventId('external-change-id', change.kind, change.subject, normaliseInstant(change.occurredAt), change.description);
}

export function normaliseInstant(iso: string): string {
  return new Date(iso).toISOString();
}

/** A validated request body as the change it records (the controller's DTO -> domain mapping). */
export function externalChangeFrom(body: ExternalChangeBody): ExternalChange {
  return {
    changeId: body.changeId ?? defaultChangeId(body),
    kind: body.kind,
    subject: body.subject,
    description: body.description,
    occurredAt: normaliseInstant(body.occurredAt),
  };
}
