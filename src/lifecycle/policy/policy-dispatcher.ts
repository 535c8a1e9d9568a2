/**
 * Appends the policy's outbox decisions through handleCommand (policy-decision-decider.ts), each under its
 * deterministic event id. Idempotent: a decision whose id is already in the stream decides nothing, and
 * the store ignores a re-appended id anyway. A mutation flag is appended to the lesson's flag stream
 * (`mutation-flag-<lessonId>`), refused when the lesson no longer exists. A decision the aggregate refuses
 * (the lesson was deleted, or a human already moved it) is dropped: the policy's fold settles it when it
 * meets that change.
 */
import type { EventMetadata, Position } from '../../../contracts/envelope.js';
import { handleCommand } from '../../common/commands/handle-command.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { ChangeLessonMatch, ChangeLessonStatus } from '../../lessons/domain/lesson-commands.js';
import { LessonNotFoundError, LessonRejectedError } from '../../lessons/domain/lesson-errors.js';
import { lessonStreamId } from '../../lessons/domain/lesson-stream.js';
import { loadLesson } from '../../lessons/store/lesson-events.js';
import { withEvidence } from './decision-evidence.js';
import { LIFECYCLE_POLICY_TABLE, POLICY_DOCUMENT_KEY } from '../../../projections/lifecycle/lifecycle-policy.js';
import { mutationFlagDecider, policyDecisionDecider, PolicyDecisionRefusedError } from './policy-decision-decider.js';
import type { FlagForMutation, PolicyDecision, PolicyState } from './policy-state.js';

export const MUTATION_FLAG_STREAM_PREFIX = 'mutation-flag-';
export const mutationFlagStreamId = (lessonId: string) => `${MUTATION_FLAG_STREAM_PREFIX}${lessonId}`;

/** Reads and decides again this often when another writer appended to the lesson's stream in between. */
const DISPATCH_RETRIES = 5;

export type DispatchOutcome = 'appended' | 'already-appended' | 'refused';

export interface DispatchReport {
  appended: string[];
  alreadyAppended: string[];
  refused: { eventId: string; reason: string }[];
}

/** The policy's document (posteriors, lessons, outbox); its open sessions are documents of their own. */
export async function loadPolicyState(db: SqlExecutor, instanceId: string): Promise<PolicyState | null> {
  const { rows } = await db.query<{ doc: PolicyState }>(
    `SELECT doc FROM ${LIFECYCLE_POLICY_TABLE} WHERE instance_id = $1 AND doc_key = $2`,
    [instanceId, POLICY_DOCUMENT_KEY],
  );
  return rows[0]?.doc ?? null;
}

/** Only the outbox (after every commit): the document's posteriors and lessons stay in the database. */
async function loadOutbox(db: SqlExecutor, instanceId: string): Promise<PolicyDecision[]> {
  const { rows } = await db.query<{ outbox: PolicyDecision[] }>(
    `SELECT doc -> 'outbox' AS outbox FROM ${LIFECYCLE_POLICY_TABLE}
      WHERE instance_id = $1 AND doc_key = $2 AND jsonb_array_length(doc -> 'outbox') > 0`,
    [instanceId, POLICY_DOCUMENT_KEY],
  );
  return rows[0]?.outbox ?? [];
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
  try {
    const result = decision.command.kind === 'flag-mutation' ? await dispatchFlag(store, decision, decision.command) : await dispatchLessonDecision(store, decision, decision.command);
    return { outcome: result.appended > 0 ? 'appended' : 'already-appended', ...(result.position ? { position: result.position } : {}) };
  } catch (error) {
    if (error instanceof LessonRejectedError || error instanceof LessonNotFoundError || error instanceof PolicyDecisionRefusedError) {
      return { outcome: 'refused', reason: error.message };
    }
    throw error;
  }
}

function dispatchLessonDecision(store: EventStore, decision: PolicyDecision, command: ChangeLessonStatus | ChangeLessonMatch) {
  const apply = { kind: 'apply-decision' as const, eventId: decision.eventId, lessonId: decision.lessonId, command };
  return handleCommand(store, lessonStreamId(decision.lessonId), apply, policyDecisionDecider, {
    metadata: decisionMetadata(decision, command.ruleSetId ?? 'policy'),
    eventId: () => decision.eventId,
    retries: DISPATCH_RETRIES,
  });
}

async function dispatchFlag(store: EventStore, decision: PolicyDecision, command: FlagForMutation) {
  const { state: lesson } = await loadLesson(store, decision.lessonId);
  const flag = { kind: 'flag-lesson' as const, eventId: decision.eventId, lessonId: decision.lessonId, lessonExists: !!lesson && !lesson.deleted, data: command.data };
  return handleCommand(store, mutationFlagStreamId(decision.lessonId), flag, mutationFlagDecider, {
    metadata: decisionMetadata(decision, command.ruleSetId),
    eventId: () => decision.eventId,
    retries: DISPATCH_RETRIES,
  });
}

/** Dispatches every decision in the instance's outbox, in order. */
export async function dispatchOutbox(db: SqlExecutor, store: EventStore, instanceId: string): Promise<DispatchReport> {
  const report: DispatchReport = { appended: [], alreadyAppended: [], refused: [] };
  for (const pending of await loadOutbox(db, instanceId)) {
    const decision = await withEvidence(db, store, pending);
    const { outcome, reason } = await dispatchDecision(store, decision);
    if (outcome === 'appended') report.appended.push(decision.eventId);
    else if (outcome === 'already-appended') report.alreadyAppended.push(decision.eventId);
    else report.refused.push({ eventId: decision.eventId, reason: reason ?? '' });
  }
  return report;
}
