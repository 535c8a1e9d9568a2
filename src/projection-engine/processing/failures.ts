import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { ProjectionFailure } from '../instances/instances.js';

/** What status shows about a projection that stopped at an event. */
export function describeFailure(event: RecordedEvent, error: unknown): ProjectionFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    message: err.message,
    errorName: err.name,
    eventId: event.eventId,
    eventType: event.type,
    position: { commit: event.position.commit.toString(), prepare: event.position.prepare.toString() },
    globalPosition: event.globalPosition.toString(),
    ...(err.stack ? { stack: err.stack.split('\n').slice(0, 8).join('\n') } : {}),
  };
}

/**
 * Errors the database raises because of the values a projection wrote (SQLSTATE class 22 data exception,
 * 23 integrity violation): they belong to an event, not to the infrastructure, so the batch is retried one
 * event at a time to find that event.
 */
export function isDataError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}
