/**
 * The rest of a planted session's log, beside its exposure (simulate-sessions.ts, `sessionLog: true`): the
 * bandit's LessonArmsSampled v2 (candidates with alpha/beta/theta and inclusion probabilities, the coin), the
 * eval outcome as TestOutcomeRecorded v2 in its run's stream, and the SessionRewardObserved that closes the
 * session, as the service would have written them. Pure: the same session gives the same events.
 */
import {
  LESSON_ARMS_SAMPLED_VERSION,
  SESSION_REWARD_OBSERVED_VERSION,
  type ArmCandidate,
  type HoldoutRecord,
  type LessonArmsSampledData,
  type SessionRewardObservedData,
} from '../../../contracts/bandit.js';
import type { NewEvent } from '../../../contracts/envelope.js';
import { deterministicEventId } from '../../../contracts/event-id.js';
import { TEST_OUTCOME_RECORDED_VERSION, type TestOutcomeRecordedData } from '../../../contracts/eval.js';
import { evalRunStreamId } from '../../../src/ingest/eval-run-events.js';

export interface PlantedSession {
  seed: number;
  index: number;
  sessionId: string;
  occurredAt: string;
  model: string;
  category: string;
  outcome: { eventId: string; runId: string; test: string; passed: boolean };
  candidates: readonly (ArmCandidate & { inclusionProbability?: number })[];
  injected: readonly string[];
  holdout: HoldoutRecord;
  inclusion?: { method: 'monte-carlo'; draws: number; seed: string } | undefined;
}

/** An event to append, with its stream (the store assigns revisions and positions). */
export interface LoggedEvent {
  streamId: string;
  event: NewEvent;
}

const SOURCE = 'sessions-world';

function logged(streamId: string, type: string, schemaVersion: number, eventId: string, data: unknown, occurredAt: string): LoggedEvent {
  return { streamId, event: { eventId, type, schemaVersion, data, metadata: { occurredAt, source: SOURCE } } };
}

/** [LessonArmsSampled, TestOutcomeRecorded, SessionRewardObserved] of one planted session. */
export function sessionLogEvents(session: PlantedSession): LoggedEvent[] {
  const { seed, index, sessionId, occurredAt, outcome } = session;
  const sampled: LessonArmsSampledData = {
    sessionId,
    context: { model: session.model, category: session.category },
    candidates: session.candidates.map((c) => ({ ...c })),
    selected: [...session.injected],
    policy: { ruleSetId: 'default', version: 1 },
    seed: `${sessionId}:thetas`,
    holdout: session.holdout,
    ...(session.inclusion ? { inclusion: session.inclusion } : {}),
  };
  const tested: TestOutcomeRecordedData = {
    runId: outcome.runId,
    suite: session.category,
    test: outcome.test,
    model: session.model,
    toolFormat: null,
    passed: outcome.passed,
    suspectedInfraError: false,
    rawModel: session.model,
    occurrence: 0,
  };
  const reward: SessionRewardObservedData = { sessionId, reward: outcome.passed ? 1 : 0, evalOutcomeIds: [outcome.eventId] };
  const sessionStream = `session-${sessionId}`;
  return [
    logged(sessionStream, 'LessonArmsSampled', LESSON_ARMS_SAMPLED_VERSION, deterministicEventId('sessions-world-sampled', seed, index), sampled, occurredAt),
    logged(evalRunStreamId(outcome.runId), 'TestOutcomeRecorded', TEST_OUTCOME_RECORDED_VERSION, outcome.eventId, tested, occurredAt),
    logged(sessionStream, 'SessionRewardObserved', SESSION_REWARD_OBSERVED_VERSION, deterministicEventId('sessions-world-reward', seed, index), reward, occurredAt),
  ];
}
