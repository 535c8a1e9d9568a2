import type { RecordedEvent } from '../../../contracts/envelope.js';
import { isSystemEventType } from './positions.js';

/**
 * An optional prefix on every stream name, so several stores can share one EventStoreDB node without
 * seeing each other's events (the contract suite opens "a fresh, empty store" per test, which a server
 * cannot provide otherwise). Callers always see their own stream ids; $all reads and subscriptions only
 * return events of prefixed streams.
 */
export interface StreamScope {
  toStored(streamId: string): string;
  /** Whether an event of $all belongs to this store: not a system event, and inside the prefix. */
  contains(storedStreamId: string, type: string): boolean;
  unscope(event: RecordedEvent): RecordedEvent;
  /** The prefix, or null for the whole node. */
  readonly prefix: string | null;
}

export function streamScope(prefix: string | undefined): StreamScope {
  if (prefix === undefined || prefix === '') {
    return {
      prefix: null,
      toStored: (streamId) => streamId,
      contains: (_streamId, type) => !isSystemEventType(type),
      unscope: (event) => event,
    };
  }
  if (prefix.startsWith('$')) throw new RangeError('A stream prefix must not start with $ (system streams)');
  return {
    prefix,
    toStored: (streamId) => `${prefix}${streamId}`,
    contains: (streamId, type) => streamId.startsWith(prefix) && !isSystemEventType(type),
    unscope: (event) => ({ ...event, streamId: event.streamId.slice(prefix.length) }),
  };
}
