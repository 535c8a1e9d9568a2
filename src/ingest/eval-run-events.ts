/**
 * An eval run -> the events that record it: one EvalRunRecorded and one TestOutcomeRecorded per outcome, all in
 * ONE stream `eval-run-<runId>`, with event ids derived from the data so that recording the same run twice
 * (from the CSV importer or the HTTP API) adds nothing.
 */
import {
  EVAL_RUN_RECORDED_VERSION,
  TEST_OUTCOME_RECORDED_VERSION,
  type EvalRunRecordedData,
  type TestOutcomeRecordedData,
} from '../../contracts/eval.js';
import type { EventMetadata, NewEvent } from '../../contracts/envelope.js';
import { deterministicEventId } from '../../contracts/event-id.js';
import type { StreamAppend } from '../event-store/event-store.port.js';
import { isSuspectedInfraError } from './gptme/infra-error.js';
import { withoutUndefined } from './without-undefined.js';

/** An outcome as a source reports it; the run id, occurrence and infra-error flag are added here. */
export type EvalOutcomeInput = Omit<TestOutcomeRecordedData, 'runId' | 'occurrence' | 'suspectedInfraError'>;

export interface EvalRunInput {
  runId: string;
  /** ISO instant; becomes every event's metadata.occurredAt. */
  startedAt: string;
  /** Where the run came from, e.g. `gptme-csv:20260822_025022Z`. */
  source: string;
  suite?: string;
  outcomes: readonly EvalOutcomeInput[];
}

export function evalRunStreamId(runId: string): string {
  return `eval-run-${runId}`;
}

export function evalRunEventId(runId: string): string {
  return deterministicEventId('EvalRunRecorded', runId);
}

export function testOutcomeEventId(
  runId: string,
  rawModel: string,
  toolFormat: string | null,
  test: string,
  occurrence: number,
): string {
  return deterministicEventId('TestOutcomeRecorded', runId, rawModel, toolFormat, test, occurrence);
}

export function buildEvalRunEvents(run: EvalRunInput): StreamAppend {
  const metadata: EventMetadata = { occurredAt: run.startedAt, source: run.source };
  const seen = new Map<string, number>();
  const outcomes: TestOutcomeRecordedData[] = run.outcomes.map((input) => {
    const key = JSON.stringify([input.rawModel, input.toolFormat, input.test]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    // Fields picked one by one: extra properties of the input (a CSV line number...) must not leak into the event.
    return withoutUndefined({
      runId: run.runId,
      suite: input.suite ?? run.suite,
      test: input.test,
      model: input.model,
      rawModel: input.rawModel,
      toolFormat: input.toolFormat,
      occurrence,
      passed: input.passed,
      score: input.score,
      toolCalls: input.toolCalls,
      steps: input.steps,
      tokens: input.tokens,
      cacheHitRate: input.cacheHitRate,
      costUsd: input.costUsd,
      durations: input.durations,
      harnessCommit: input.harnessCommit,
      logDir: input.logDir,
      workspaceDir: input.workspaceDir,
      cases: input.cases,
      suspectedInfraError: isSuspectedInfraError(input),
    });
  });

  const runEvent: NewEvent<'EvalRunRecorded', EvalRunRecordedData> = {
    eventId: evalRunEventId(run.runId),
    type: 'EvalRunRecorded',
    schemaVersion: EVAL_RUN_RECORDED_VERSION,
    data: summarizeRun(run, outcomes),
    metadata,
  };
  const outcomeEvents = outcomes.map(
    (data): NewEvent<'TestOutcomeRecorded', TestOutcomeRecordedData> => ({
      eventId: testOutcomeEventId(run.runId, data.rawModel, data.toolFormat, data.test, data.occurrence),
      type: 'TestOutcomeRecorded',
      schemaVersion: TEST_OUTCOME_RECORDED_VERSION,
      data,
      metadata,
    }),
  );
  // no_stream: a run is recorded once; a replay of the same events is a no-op, different content is refused.
  return { streamId: evalRunStreamId(run.runId), events: [runEvent, ...outcomeEvents], expectedRevision: 'no_stream' };
}

function summarizeRun(run: EvalRunInput, outcomes: readonly TestOutcomeRecordedData[]): EvalRunRecordedData {
  const passed = outcomes.filter((o) => o.passed).length;
  const models = [...new Set(outcomes.map((o) => o.model))].sort();
  const harnessCommits = [...new Set(outcomes.flatMap((o) => (o.harnessCommit ? [o.harnessCommit] : [])))].sort();
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    source: run.source,
    counts: {
      outcomes: outcomes.length,
      passed,
      failed: outcomes.length - passed,
      suspectedInfraErrors: outcomes.filter((o) => o.suspectedInfraError).length,
    },
    ...(models.length > 0 ? { models } : {}),
    ...(harnessCommits.length > 0 ? { harnessCommits } : {}),
    ...(run.suite !== undefined ? { suite: run.suite } : {}),
  };
}
