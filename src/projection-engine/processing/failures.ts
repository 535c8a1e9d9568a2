import type { RecordedEvent } from '../../../contracts/envelope.js';
import { sqlState } from '../../database/database-errors.js';
import { databaseTroubleOf } from '../../database/database-trouble.js';
import type { ProjectionFailure } from '../instances/instances.js';

/** What status shows about a projection that stopped at an event. */
export function describeFailure(event: RecordedEvent, error: unknown): ProjectionFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  const state = sqlStateOf(error);
  return {
    message: err.message,
    errorName: err.name,
    ...(state ? { sqlState: state } : {}),
    eventId: event.eventId,
    eventType: event.type,
    position: { commit: event.position.commit.toString(), prepare: event.position.prepare.toString() },
    globalPosition: event.globalPosition.toString(),
    ...(err.stack ? { stack: err.stack.split('\n').slice(0, 8).join('\n') } : {}),
  };
}

/**
 * Why a projection's database work failed, which decides what the processor does:
 * - `refused`: the database refuses the values an event produced and will refuse them again (class 22 data
 *   exception: too long, bad encoding 22021, out of range 22003...; class 23 integrity/check violation; class 54
 *   program limit exceeded: 54000 index row too large). The batch is redone one event at a time to find the
 *   event, and the instance stops there, `failed`, until an operator retries after a fix or skips the event.
 * - `transient`: the database could not do it now (class 08 connection, 40 deadlock/serialization, 53
 *   insufficient resources, 57P0x shutdown, a lost socket): retried with backoff, counted in status.
 * - `missing-relation`: 42P01, a table is gone (a database recreated empty, a dropped read model): retried
 *   with backoff, and shown as its own state.
 * - `other`: anything else (a bug): retried with backoff like a transient error.
 */
export type FailureCause = 'refused' | 'transient' | 'missing-relation' | 'other';

export function classifyFailure(error: unknown): FailureCause {
  const state = sqlStateOf(error);
  if (state !== undefined) {
    if (/^(22|23|54)/.test(state)) return 'refused';
    if (state === '42P01') return 'missing-relation';
    if (/^(08|40|53)/.test(state) || /^57P0\d$/.test(state)) return 'transient';
  }
  return databaseTroubleOf(error)?.kind === 'unavailable' ? 'transient' : 'other';
}

/** Errors the database will refuse again on retry: they belong to an event, not to the infrastructure. */
export function isDataError(error: unknown): boolean {
  return classifyFailure(error) === 'refused';
}

/** The SQLSTATE of the error or of what it wraps (`cause`, a few levels). */
export function sqlStateOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const state = sqlState(e);
    if (state) return state;
  }
  return undefined;
}
