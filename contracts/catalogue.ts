/**
 * The registry of every event type: current version, schemas by version, upcasters. Validates events before
 * they are written and lifts stored events to their type's current version when they are read.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { analysisEventDefinitions } from './analysis.js';
import { banditEventDefinitions } from './bandit.js';
import type { EventMetadata, NewEvent, RecordedEvent } from './envelope.js';
import type { EventDefinition } from './event-definition.js';
import { draftEventDefinitions } from './drafts.js';
import { evalEventDefinitions } from './eval.js';
import { exposureEventDefinitions } from './exposure.js';
import { externalEventDefinitions } from './external.js';
import { lessonEventDefinitions } from './lesson.js';
import { projectionOpsEventDefinitions } from './projection-ops.js';
import { webhookEventDefinitions } from './webhooks.js';
import { eventIdSchema, isoInstant, nonEmptyString } from './primitives.js';
import { identifier, identifierOrEmpty } from './limits.js';

export const eventDefinitions = [
  ...evalEventDefinitions,
  ...externalEventDefinitions,
  ...lessonEventDefinitions,
  ...banditEventDefinitions,
  ...analysisEventDefinitions,
  ...exposureEventDefinitions,
  ...draftEventDefinitions,
  ...projectionOpsEventDefinitions,
  ...webhookEventDefinitions,
] as const;

type Definition = (typeof eventDefinitions)[number];
export type EventType = Definition['type'];
type DefinitionOf<T extends EventType> = Extract<Definition, { type: T }>;

/** Data of an event type at its current version, as stored and read (defaults filled in). */
export type EventDataOf<T extends EventType> = z.output<DefinitionOf<T>['schema']>;
/** Data as a producer may write it (fields with defaults may be left out). */
export type EventDataInputOf<T extends EventType> = z.input<DefinitionOf<T>['schema']>;
export type NewEventOf<T extends EventType> = NewEvent<T, EventDataOf<T>>;
export type RecordedEventOf<T extends EventType> = RecordedEvent<T, EventDataOf<T>>;
/** Discriminated unions (on `type`) of every catalogued event at its current version. */
export type CatalogueNewEvent = { [T in EventType]: NewEventOf<T> }[EventType];
export type CatalogueRecordedEvent = { [T in EventType]: RecordedEventOf<T> }[EventType];

const registry: ReadonlyMap<string, EventDefinition> = new Map(eventDefinitions.map((d) => [d.type, d]));
if (registry.size !== eventDefinitions.length) throw new Error('Two event definitions share a type name');

export const EVENT_TYPES: readonly EventType[] = eventDefinitions.map((d) => d.type);

export function eventDefinition(type: string): EventDefinition | undefined {
  return registry.get(type);
}

export function isKnownEventType(type: string): type is EventType {
  return registry.has(type);
}

export function currentVersionOf(type: EventType): number {
  return registry.get(type)!.currentVersion;
}

/** Narrows an upcast event to one type, for projections that switch on a few types. */
export function isEventOfType<T extends EventType, E extends NewEvent>(
  event: E,
  type: T,
): event is E & NewEvent<T, EventDataOf<T>> {
  return event.type === type;
}

export interface ValidationIssue {
  /** Path within the event, e.g. `data.tokens.input` or `metadata.occurredAt`. */
  path: string;
  message: string;
}

export class EventValidationError extends Error {
  constructor(
    readonly eventType: string,
    readonly eventId: string | undefined,
    readonly issues: ValidationIssue[],
  ) {
    super(formatIssues(eventType, issues));
    this.name = 'EventValidationError';
  }
}

const MAX_ISSUES_IN_MESSAGE = 5;

function formatIssues(eventType: string, issues: ValidationIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `${eventType}.${i.path}: ${i.message}`);
  const hidden = issues.length - shown.length;
  return shown.join('; ') + (hidden > 0 ? ` (and ${hidden} more)` : '');
}

const metadataSchema = z.strictObject({
  occurredAt: isoInstant,
  correlationId: identifierOrEmpty.optional(),
  causationId: identifierOrEmpty.optional(),
  source: identifier,
  actor: identifierOrEmpty.optional(),
});

const envelopeSchema = z.object({
  eventId: eventIdSchema,
  type: nonEmptyString,
  schemaVersion: z.int().positive(),
  data: z.unknown(),
  metadata: metadataSchema,
});

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function toIssues(prefix: string, error: z.ZodError): ValidationIssue[] {
  return error.issues.flatMap((issue): ValidationIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf(prefix, [...issue.path, key]), message: 'unknown field' }));
    }
    const message = issue.message.replace(/^Invalid input: /, '');
    return [{ path: pathOf(prefix, issue.path), message }];
  });
}

/**
 * Checks the envelope and the data (against the schema of the event's own version, which may be an older one)
 * and returns the event as it should be stored: envelope fields only, data with defaults filled in.
 * Throws EventValidationError naming the event type and every failing field path.
 */
export function validateNewEvent(event: NewEvent): NewEvent {
  const candidate = event as unknown as Record<string, unknown> | null | undefined;
  const typeLabel = typeof candidate?.type === 'string' && candidate.type !== '' ? candidate.type : '<event>';
  const idLabel = typeof candidate?.eventId === 'string' ? candidate.eventId : undefined;
  const envelope = envelopeSchema.safeParse(candidate);
  if (!envelope.success) throw new EventValidationError(typeLabel, idLabel, toIssues('', envelope.error));
  const { eventId, type, schemaVersion, metadata } = envelope.data;

  const definition = registry.get(type);
  if (!definition) {
    throw new EventValidationError(type, eventId, [{ path: 'type', message: `unknown event type "${type}"` }]);
  }
  const schema = definition.schemas[schemaVersion];
  if (!schema) {
    const known = Object.keys(definition.schemas).join(', ');
    throw new EventValidationError(type, eventId, [
      { path: 'schemaVersion', message: `unknown version ${schemaVersion} (known: ${known})` },
    ]);
  }
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) throw new EventValidationError(type, eventId, toIssues('data', data.error));
  return { eventId, type, schemaVersion, data: data.data, metadata: metadata as EventMetadata };
}

/** What upcasting reads of an event; the rest (envelope, store fields) is kept as it is. */
export type Upcastable = Pick<NewEvent, 'type' | 'schemaVersion' | 'data'>;

/**
 * Lifting stored events to the versions some definitions make current. The catalogue's (`catalogueUpcasting`)
 * is what the event store and every read model that keeps event data read with; a spec may build one over
 * its own definitions (e.g. a test-only upcaster) without touching the catalogue.
 */
export interface Upcasting {
  /** The version events of `type` are lifted to; undefined for a type these definitions do not know. */
  currentVersion(type: string): number | undefined;
  upcast<E extends Upcastable>(event: E): E;
}

export function upcastingOf(definitions: readonly EventDefinition[]): Upcasting {
  const byType = new Map(definitions.map((d) => [d.type, d]));
  if (byType.size !== definitions.length) throw new Error('Two event definitions share a type name');
  return {
    currentVersion: (type) => byType.get(type)?.currentVersion,
    upcast: (event) => lift(byType.get(event.type), event),
  };
}

export const catalogueUpcasting: Upcasting = upcastingOf(eventDefinitions);

/**
 * Returns the event at its type's current version, applying upcasters v -> v + 1 in turn. Events of unknown
 * types, of a version newer than this code knows (written by a newer app), or already current are returned as
 * they are (the same object). Does not validate: stored events were validated when written.
 */
export function upcast<E extends Upcastable>(event: E): E {
  return catalogueUpcasting.upcast(event);
}

function lift<E extends Upcastable>(definition: EventDefinition | undefined, event: E): E {
  if (!definition || event.schemaVersion === definition.currentVersion) return event;
  if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) return event;
  if (event.schemaVersion > definition.currentVersion) return event;
  let data: unknown = event.data;
  for (let version = event.schemaVersion; version < definition.currentVersion; version++) {
    data = definition.upcasters[version]!(data);
  }
  return { ...event, schemaVersion: definition.currentVersion, data };
}

/**
 * Builds a validated event at the type's current version. `eventId` defaults to a random uuid; pass a
 * `deterministicEventId(...)` for facts that may be imported twice.
 */
export function newEvent<T extends EventType>(
  type: T,
  data: EventDataInputOf<T>,
  metadata: EventMetadata,
  eventId: string = randomUUID(),
): NewEventOf<T> {
  return validateNewEvent({ eventId, type, schemaVersion: currentVersionOf(type), data, metadata }) as NewEventOf<T>;
}
