/**
 * Events an operator told an instance to pass over (`ProjectionEventSkipped`, one stream for every instance:
 * skips are rare). The processor reads them when it opens a pass and does not apply those events; status shows
 * them with their reasons.
 */
import { deterministicEventId } from '../../../contracts/event-id.js';
import { clampText, LIMITS } from '../../../contracts/limits.js';
import { ProjectionEventSkipped, type ProjectionEventSkippedData } from '../../../contracts/projection-ops.js';
import type { SqlClient } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { UnknownInstanceError } from '../errors.js';
import { handleCommand } from '../../common/commands/handle-command.js';
import { findInstance, requestRetry } from './instances.js';
import { skipDecider } from './skip-decider.js';

export const SKIPS_STREAM = 'projection-skips';

export interface RecordedSkip extends ProjectionEventSkippedData {
  skippedAt: string;
  actor: string | null;
}

export class NotStoppedAtEventError extends Error {
  constructor(
    readonly instanceId: string,
    readonly eventId: string,
    stoppedAt: string | null,
  ) {
    super(
      stoppedAt
        ? `Projection instance ${instanceId} stopped at event ${stoppedAt}, not ${eventId}: only the event it stopped at can be skipped`
        : `Projection instance ${instanceId} has not stopped at an event: only the event a failed instance stopped at can be skipped`,
    );
    this.name = 'NotStoppedAtEventError';
  }
}

export class InvalidSkipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSkipError';
  }
}

/** Every recorded skip, oldest first. */
export async function readSkips(store: EventStore): Promise<RecordedSkip[]> {
  const events = await store.readStream(SKIPS_STREAM);
  return events
    .filter((e) => e.type === ProjectionEventSkipped.type)
    .map((e) => ({
      ...(e.data as ProjectionEventSkippedData),
      skippedAt: e.metadata.occurredAt,
      actor: e.metadata.actor ?? null,
    }));
}

/** The ids of the events this instance passes over. */
export async function skippedEventIds(store: EventStore, instanceId: string): Promise<Set<string>> {
  return new Set((await readSkips(store)).filter((s) => s.instanceId === instanceId).map((s) => s.eventId));
}

/**
 * Records that a failed instance passes over the event it stopped at, with the operator's reason, and asks its
 * processor to go on. Only that event: skipping anything else would hide a failure nobody has seen. Recording the
 * same skip again changes nothing (the event id is derived from instance and event).
 */
export async function skipFailedEvent(
  sql: SqlClient,
  store: EventStore,
  input: { instanceId: string; eventId: string; reason: string; actor?: string },
): Promise<RecordedSkip> {
  const reason = input.reason.trim();
  const reasonOk = ProjectionEventSkipped.schema.shape.reason.safeParse(reason);
  if (reason === '' || !reasonOk.success) {
    throw new InvalidSkipError(`A skip needs a reason (--reason "..."): ${reasonOk.error?.issues[0]?.message ?? 'it is empty'}`);
  }
  const instance = await findInstance(sql, input.instanceId);
  if (!instance) throw new UnknownInstanceError(input.instanceId);
  const failure = instance.error;
  if (!failure || failure.eventId !== input.eventId) throw new NotStoppedAtEventError(input.instanceId, input.eventId, failure?.eventId ?? null);
  const data = ProjectionEventSkipped.schema.parse({
    instanceId: input.instanceId,
    eventId: failure.eventId,
    eventType: failure.eventType,
    position: failure.position,
    reason,
    error: clampText(failure.message, LIMITS.text, false),
  });
  const occurredAt = new Date().toISOString();
  await handleCommand(store, SKIPS_STREAM, { skip: data }, skipDecider, {
    metadata: { occurredAt, source: 'operator', ...(input.actor ? { actor: input.actor } : {}) },
    eventId: () => deterministicEventId(ProjectionEventSkipped.type, input.instanceId, input.eventId),
  });
  await requestRetry(sql, input.instanceId);
  return { ...data, skippedAt: occurredAt, actor: input.actor ?? null };
}
