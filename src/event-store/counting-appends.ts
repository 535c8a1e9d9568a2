import { eventsAppended } from '../common/metrics/app-metrics.js';
import type { EventStore } from './event-store.port.js';

/** The store with every append's new events counted in lessonloop_events_appended_total. */
export function countingAppends(store: EventStore): EventStore {
  const appendToStream = store.appendToStream.bind(store);
  const appendMany = store.appendMany.bind(store);
  store.appendToStream = async (...args) => {
    const result = await appendToStream(...args);
    eventsAppended.inc(result.appended);
    return result;
  };
  store.appendMany = async (appends) => {
    const results = await appendMany(appends);
    eventsAppended.inc(results.reduce((n, r) => n + r.appended, 0));
    return results;
  };
  return store;
}
