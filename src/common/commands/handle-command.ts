/**
 * The write path's one way to run a command against a stream: read it, fold it with the decider's evolve,
 * decide, append with the revision that was read as the expected one. When another writer appended in
 * between (the store's ConcurrencyError), it reads and decides again, so the decider sees what won and
 * answers with its own refusal or with nothing to do; if writers keep winning through every retry, the
 * command fails with StreamConflictError (HTTP 409). Nothing is appended when decide throws or decides nothing.
 */
import { newEvent, type EventType } from '../../../contracts/catalogue.js';
import type { EventMetadata, NewEvent, Position, RecordedEvent } from '../../../contracts/envelope.js';
import { ConcurrencyError, type EventStore } from '../../event-store/event-store.port.js';
import type { DecidedEvent, Decider, EvolvingEvent } from './decider.js';
import { StreamConflictError } from './stream-conflict.error.js';

export const DEFAULT_COMMAND_RETRIES = 3;

export interface HandleCommandOptions<Event extends DecidedEvent> {
  /** Metadata of the new events that do not carry their own. */
  metadata?: EventMetadata;
  /** Id of each new event that does not carry its own (random by default): a derived id makes a re-sent command a no-op. */
  eventId?: (event: Event, index: number) => string;
  /** How many times to read and decide again after losing a race (default DEFAULT_COMMAND_RETRIES). */
  retries?: number;
}

export interface CommandResult<State> {
  /** The state after the new events (the state that was read when nothing was decided). */
  state: State;
  /** The events appended, as handed to the store; empty when decide had nothing to do. */
  events: NewEvent[];
  /** How many of them the store wrote (0 when it already held their ids). */
  appended: number;
  nextExpectedRevision: bigint | 'no_stream';
  /** Where a reader sees the result: the append's last event, or the stream's last event when nothing was appended. */
  position: Position | null;
  globalPosition: bigint | null;
}

export async function handleCommand<Command, State, Event extends DecidedEvent>(
  store: EventStore,
  streamName: string,
  command: Command,
  decider: Decider<Command, State, Event>,
  options: HandleCommandOptions<Event> = {},
): Promise<CommandResult<State>> {
  const attempts = (options.retries ?? DEFAULT_COMMAND_RETRIES) + 1;
  let lost: ConcurrencyError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const recorded = await store.readStream(streamName);
    const state = fold(decider, recorded);
    const last = recorded[recorded.length - 1];
    const expectedRevision = last ? last.streamRevision : 'no_stream';
    const decided = decider.decide(command, state);
    if (decided.length === 0) {
      return { state, events: [], appended: 0, nextExpectedRevision: expectedRevision, position: last?.position ?? null, globalPosition: last?.globalPosition ?? null };
    }
    const events = decided.map((event, index) => toNewEvent(event, index, options));
    try {
      const result = await store.appendToStream(streamName, events, { expectedRevision });
      const first = last ? last.streamRevision + 1n : 0n;
      const next = events.reduce(
        (current, event, index) => decider.evolve(current, { ...event, streamRevision: first + BigInt(index) } as unknown as EvolvingEvent<Event>),
        state,
      );
      return {
        state: next,
        events,
        appended: result.appended,
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position,
        globalPosition: result.globalPosition,
      };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      lost = error;
    }
  }
  throw new StreamConflictError(streamName, lost!.expected, lost!.actual, attempts);
}

/** The decider's state of a stream's recorded events. */
export function fold<State, Event extends DecidedEvent>(decider: Decider<unknown, State, Event>, events: readonly RecordedEvent[]): State {
  return events.reduce((state, event) => decider.evolve(state, event as unknown as EvolvingEvent<Event>), decider.initialState());
}

function toNewEvent<Event extends DecidedEvent>(event: Event, index: number, options: HandleCommandOptions<Event>): NewEvent {
  const metadata = event.metadata ?? options.metadata;
  if (!metadata) throw new Error(`No metadata for the decided ${event.type}: pass options.metadata or decide it with the event`);
  const eventId = event.eventId ?? options.eventId?.(event, index);
  if (event.schemaVersion !== undefined && eventId !== undefined) {
    return { eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata };
  }
  return eventId === undefined
    ? newEvent(event.type as EventType, event.data as never, metadata)
    : newEvent(event.type as EventType, event.data as never, metadata, eventId);
}
