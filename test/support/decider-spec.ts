/**
 * given(events).when(command).then(events) for a decider, after Emmett's DeciderSpecification: the given
 * events are folded with evolve from initialState (each stamped with GIVEN_AT and its stream revision unless it
 * carries metadata), decide runs on the result, and then() compares what it decided. thenThrows() expects a
 * typed refusal, thenNothing() an empty decision.
 */
import type { DecidedEvent, Decider, EvolvingEvent } from '../../src/common/commands/decider.js';

export const GIVEN_AT = '2026-03-01T10:00:00.000Z';

/** A given event: a decided one, or one as recorded (its id, metadata and revision are kept). */
export interface GivenEvent {
  type: string;
  data: unknown;
  eventId?: string;
  metadata?: { occurredAt: string };
  streamRevision?: bigint | number;
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

export interface DeciderSpecWhen<Event, State> {
  /** Returns what was decided, for further checks. */
  then(expected: Event[]): Event[];
  /** Compares each decided event to the expected one with toMatchObject (for events with parts that vary). */
  thenMatches(expected: Partial<Event>[]): Event[];
  thenNothing(): void;
  thenThrows<E extends Error>(errorClass: ErrorClass<E>, expected?: Partial<E> | ((error: E) => void)): E;
  /** The state decide ran on. */
  state(): State;
}

export function deciderSpec<Command, State, Event extends DecidedEvent>(decider: Decider<Command, State, Event>) {
  return {
    /** The stream's events so far. */
    given(events: readonly GivenEvent[] = []) {
      const state = () =>
        events.reduce(
          (current, event, index) => decider.evolve(current, { metadata: { occurredAt: GIVEN_AT }, streamRevision: index, ...event } as unknown as EvolvingEvent<Event>),
          decider.initialState(),
        );
      return {
        when(command: Command): DeciderSpecWhen<Event, State> {
          const decide = () => decider.decide(command, state());
          return {
            then: (expected) => {
              const decided = decide();
              expect(decided).toEqual(expected);
              return decided;
            },
            thenMatches: (expected) => {
              const decided = decide();
              expect(decided).toHaveLength(expected.length);
              decided.forEach((event, index) => expect(event).toMatchObject(expected[index]!));
              return decided;
            },
            thenNothing: () => expect(decide()).toEqual([]),
            thenThrows: (errorClass, expected) => {
              let thrown: unknown;
              try {
                decide();
              } catch (error) {
                thrown = error;
              }
              if (thrown === undefined) throw new Error(`expected decide to throw ${errorClass.name}, it decided instead`);
              expect(thrown).toBeInstanceOf(errorClass);
              const error = thrown as InstanceType<typeof errorClass>;
              if (typeof expected === 'function') expected(error);
              else if (expected) expect(error).toMatchObject(expected);
              return error;
            },
            state,
          };
        },
      };
    },
  };
}
