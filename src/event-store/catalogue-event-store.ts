/**
 * Puts the event catalogue in front of any EventStore: events are validated before anything reaches the inner
 * store (one invalid event refuses its whole append), and every event read or delivered is upcast to its
 * type's current version (by the catalogue's upcasters; a spec may pass other upcasting to see what a future
 * upcaster changes).
 */
import { catalogueUpcasting, validateNewEvent, type Upcasting } from '../../contracts/catalogue.js';
import type { NewEvent, RecordedEvent } from '../../contracts/envelope.js';
import type {
  AllSubscription,
  AppendOptions,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
  SubscriptionMessage,
} from './event-store.port.js';

function upcastAll(upcasting: Upcasting, events: RecordedEvent[]): RecordedEvent[] {
  return events.map((event) => upcasting.upcast(event));
}

function upcastSubscription(upcasting: Upcasting, inner: AllSubscription): AllSubscription {
  return {
    close: () => inner.close(),
    [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
      const iterator = inner[Symbol.asyncIterator]();
      return {
        async next() {
          const result = await iterator.next();
          if (result.done || result.value.kind !== 'events') return result;
          return { done: false, value: { ...result.value, events: upcastAll(upcasting, result.value.events) } };
        },
        async return(value?: unknown) {
          return iterator.return ? iterator.return(value) : { done: true, value: undefined };
        },
      };
    },
  };
}

export function withCatalogue(inner: EventStore, upcasting: Upcasting = catalogueUpcasting): EventStore {
  return {
    get kind() {
      return inner.kind;
    },
    appendToStream(streamId: string, events, options?: AppendOptions) {
      let validated: NewEvent[];
      try {
        validated = events.map(validateNewEvent);
      } catch (error) {
        return Promise.reject(error);
      }
      return inner.appendToStream(streamId, validated, options);
    },
    appendMany(appends: StreamAppend[]) {
      let validated: StreamAppend[];
      try {
        validated = appends.map((append) => ({ ...append, events: append.events.map(validateNewEvent) }));
      } catch (error) {
        return Promise.reject(error);
      }
      return inner.appendMany(validated);
    },
    async readStream(streamId: string, options?: ReadStreamOptions) {
      return upcastAll(upcasting, await inner.readStream(streamId, options));
    },
    async readAll(options?: ReadAllOptions) {
      return upcastAll(upcasting, await inner.readAll(options));
    },
    subscribeToAll(options?: SubscribeOptions) {
      return upcastSubscription(upcasting, inner.subscribeToAll(options));
    },
    headPosition: () => inner.headPosition(),
    countAfter: (after) => inner.countAfter(after),
    close: () => inner.close(),
  };
}
