import type { RecordedEvent } from '../../../contracts/envelope.js';

/** One read of the global log by a subscription. */
export interface LogPage {
  events: RecordedEvent[];
  /** Log events the page covers (>= events.length: a read filtered by type passes over the others). */
  passed: number;
  /** As many events as asked for matched: more may follow at once. Otherwise the page reached the head. */
  full: boolean;
}

/** An unfiltered read: every event it covers is in it. */
export function wholePage(events: RecordedEvent[], maxCount: number): LogPage {
  return { events, passed: events.length, full: events.length >= maxCount };
}
