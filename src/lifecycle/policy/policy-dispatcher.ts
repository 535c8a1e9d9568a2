/**
 * Appends the policy's outbox decisions through the lesson aggregate (decideLesson), each under its
 * deterministic event id. Idempotent: a decision whose id is already in the lesson's stream is skipped, and
 * the store ignores a re-appended id anyway. A mutation flag is appended to the lesson's flag stream
 * (`mutation-flag-<lessonId>`), also under its deterministic id, refused when the lesson no longer exists. A decision the aggregate refuses (the lesson was deleted, or a
 * human already moved it) is dropped: the policy's fold settles it when it meets that change.
 */
import type { EventMetadata, Position } from '../../../contracts/envelope.js';
import { newEvent } from '../../../contracts/catalogue.js';
import { ConcurrencyError, type EventStore } from '../../event-store/event-store.port.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import { decideLesson } from '../../lessons/domain/decide-lesson.js';
import { LessonNotFoundError, LessonRejectedError } from '../../lessons/domain/lesson-errors.js';
import { lessonStreamId } from '../../lessons/domain/lesson-stream.js';
import { loadLesson, toNewEvents } from '../../lessons/store/lesson-events.js';
import { LIFECYCLE_POLICY_TABLE, POLICY_DOCUMENT_KEY } from '../../../projections/lifecycle/lifecycle-policy.js';
import type { FlagForMutation, PolicyDecision, PolicyState } from './policy-state.js';

export const MUTATION_FLAG_STREAM_PREFIX = 'mutation-flag-';
export const mutationFlagStreamId = (lessonId: string) => `${MUTATION_FLAG_STREAM_PREFIX}${lessonId}`;

export type DispatchOutcome = 'appended' | 'already-appended' | 'refused';

export interface DispatchReport {
  appended: string[];
  alreadyAppended: string[];
  refused: { eventId: string; reason: string }[];
}

export async function loadPolicyState(db: SqlExecutor, instanceId: string): Promise<PolicyState | null> {
  const { rows } = await db.query<{ doc: PolicyState }>(
    `SELECT doc FROM ${LIFECYCLE_POLICY_TABLE} WHERE instance_id = $1 AND doc_key = $2`,
    [instanceId, POLICY_DOCUMENT_KEY],
  );
  return rows[0]?.doc ?? null;
}

/** The outbox size and the checkpoint of an instance, from one snapshot (one statement). */
export async function outboxAtCheckpoint(
  db: SqlExecutor,
  instanceId: string,
): Promise<{ outbox: number; checkpoint: { commit: bigint; prepare: bigint } } | null> {
  const { rows } = await db.query<{ outbox: number | null; commit_position: string; prepare_position: string }>(
    `SELECT jsonb_array_length(s.doc -> 'outbox') AS outbox, i.commit_position, i.prepare_position
       FROM projection_instances i
       LEFT JOIN ${LIFECYCLE_POLICY_TABLE} s ON s.instance_id = i.instance_id AND s.doc_key = $2
      WHERE i.instance_id = $1`,
    [instanceId, POLICY_DOCUMENT_KEY],
  );
  const row = rows[0];
  if (!row) return null;
  return { outbox: Number(row.outbox ?? 0), checkpoint: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) } };
}

export function decisionMetadata(decision: PolicyDecision, ruleSetId: string): EventMetadata {
  return { occurredAt: decision.occurredAt, source: 'policy', actor: `policy:${ruleSetId}`, causationId: decision.triggeringEventId };
}

export async function dispatchDecision(
  store: EventStore,
  decision: PolicyDecision,
): Promise<{ outcome: DispatchOutcome; reason?: string; position?: Position }> {
  if (decision.command.kind === 'flag-mutation') return dispatchFlag(store, decision, decision.command);
  for (let attempt = 0; ; attempt++) {
    const loaded = await loadLesson(store, decision.lessonId);
    if (loaded.events.some((event) => event.eventId === decision.eventId)) return { outcome: 'already-appended' };
    let drafts;
    try {
      drafts = decideLesson(loaded.state, decision.command, decision.lessonId);
    } catch (error) {
      if (error instanceof LessonRejectedError || error instanceof LessonNotFoundError) return { outcome: 'refused', reason: error.message };
      throw error;
    }
    const ruleSetId = decision.command.ruleSetId ?? 'policy';
    const events = toNewEvents(drafts, decisionMetadata(decision, ruleSetId), () => decision.eventId);
    try {
      const result = await store.appendToStream(lessonStreamId(decision.lessonId), events, { expectedRevision: loaded.expectedRevision });
      return { outcome: result.appended > 0 ? 'appended' : 'already-appended', position: result.position };
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
    }
  }
}

async function dispatchFlag(
  store: EventStore,
  decision: PolicyDecision,
  command: FlagForMutation,
): Promise<{ outcome: DispatchOutcome; reason?: string; position?: Position }> {
  const lesson = await loadLesson(store, decision.lessonId);
  if (!lesson.state || lesson.state.deleted) return { outcome: 'refused', reason: `lesson ${decision.lessonId} does not exist` };
  const event = { ...newEvent('LessonFlaggedForMutation', command.data, decisionMetadata(decision, command.ruleSetId)), eventId: decision.eventId };
  // Expected revision `any`: the id makes a second append a no-op (appended 0).
  const result = await store.appendToStream(mutationFlagStreamId(decision.lessonId), [event], { expectedRevision: 'any' });
  return { outcome: result.appended > 0 ? 'appended' : 'already-appended', position: result.position };
}

/** Dispatches every decision in the instance's outbox, in order. */
export async function dispatchOutbox(db: SqlExecutor, store: EventStore, instanceId: string): Promise<DispatchReport> {
  const report: DispatchReport = { appended: [], alreadyAppended: [], refused: [] };
  const state = await loadPolicyState(db, instanceId);
  for (const decision of state?.outbox ?? []) {
    const { outcome, reason } = await dispatchDecision(store, decision);
    if (outcome === 'appended') report.appended.push(decision.eventId);
    else if (outcome === 'already-appended') report.alreadyAppended.push(decision.eventId);
    else report.refused.push({ eventId: decision.eventId, reason: reason ?? '' });
  }
  return report;
}
