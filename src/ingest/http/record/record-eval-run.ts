import type { EvalRunRecordedData } from '../../../../contracts/eval.js';
import type { NewEvent } from '../../../../contracts/envelope.js';
import { ConcurrencyError, type EventStore, type StreamAppend } from '../../../event-store/event-store.port.js';
import { runDifferences } from '../../compare-runs.js';

export type RecordRunResult =
  | { status: 'recorded'; streamId: string; run: EvalRunRecordedData; events: number }
  | { status: 'already-recorded'; streamId: string; run: EvalRunRecordedData; events: number };

/** A different run already holds this run id. Nothing was written. */
export class RunConflictError extends Error {
  constructor(
    readonly runId: string,
    readonly differences: string[],
  ) {
    super(
      `Run ${runId} is already recorded with different content; a run is recorded once and never changed. ` +
        'Send it under a new runId if it is a new run.',
    );
    this.name = 'RunConflictError';
  }
}

/**
 * Appends a run's stream once. The events' ids are derived from the run, so sending the same run again finds
 * them stored: that is a replay and answers with what is stored. A stream that exists with other content is
 * a conflict; nothing is written in either case (`no_stream` plus the content check).
 */
export async function recordEvalRun(store: EventStore, append: StreamAppend, runId: string): Promise<RecordRunResult> {
  let appended: number;
  try {
    appended = (await store.appendToStream(append.streamId, append.events, { expectedRevision: 'no_stream' })).appended;
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    appended = 0;
  }
  if (appended === append.events.length) {
    return { status: 'recorded', streamId: append.streamId, run: runData(append.events), events: appended };
  }
  const stored = await store.readStream(append.streamId);
  const differences = runDifferences(stored, append.events);
  if (differences.length > 0) throw new RunConflictError(runId, differences);
  return { status: 'already-recorded', streamId: append.streamId, run: runData(stored), events: stored.length };
}

function runData(events: readonly NewEvent[]): EvalRunRecordedData {
  const run = events.find((e) => e.type === 'EvalRunRecorded');
  if (!run) throw new Error('An eval run stream without its EvalRunRecorded event');
  return run.data as EvalRunRecordedData;
}
