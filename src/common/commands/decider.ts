/**
 * An aggregate as three pure functions: `decide` turns a command and the current state into new events (or
 * throws a typed domain error, and nothing is written), `evolve` folds one event into the state, and
 * `initialState` is the state of a stream with no events. `handleCommand` runs them against the store.
 */
import type { EventMetadata } from '../../../contracts/envelope.js';

/** An event as decide() gives it. It may already carry its id, schema version or metadata; handleCommand fills in the rest. */
export interface DecidedEvent {
  type: string;
  data: unknown;
  eventId?: string;
  schemaVersion?: number;
  metadata?: EventMetadata;
}

/** What evolve() sees: a decided event with its metadata, and the stream revision and id once it is stored. */
export type EvolvingEvent<Event extends DecidedEvent> = Event & {
  metadata: { occurredAt: string };
  streamRevision?: bigint | number;
  eventId?: string;
};

export interface Decider<Command, State, Event extends DecidedEvent = DecidedEvent> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: EvolvingEvent<Event>): State;
  initialState(): State;
}
