import type { EvalRunRecordedData } from '../../../../contracts/eval.js';
import type { NewEvent } from '../../../../contracts/envelope.js';
import type { Decider } from '../../../common/commands/decider.js';
import { handleCommand } from '../../../common/commands/handle-command.js';
import type { EventStore, StreamAppend } from '../../../event-store/event-store.port.js';
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

export interface RecordRun {
  kind: 'record-run';
  runId: string;
  /** The run's events, built whole (ids derived from the run, metadata set). */
  events: readonly NewEvent[];
}

/**
 * A run's stream is written once. Its events' ids are derived from the run, so the same run sent again
 * finds them stored: a replay, which decides nothing; other content under the run id is a conflict.
 */
export const evalRunDecider: Decider<RecordRun, readonly NewEvent[], NewEvent> = {
  initialState: () => [],
  evolve: (stored, event) => [...stored, event],
  decide(command, stored) {
    if (stored.length === 0) return [...command.events];
    const differences = runDifferences(stored, command.events);
    if (differences.length > 0) throw new RunConflictError(command.runId, differences);
    return [];
  },
};

export async function recordEvalRun(store: EventStore, append: StreamAppend, runId: string): Promise<RecordRunResult> {
  const result = await handleCommand(store, append.streamId, { kind: 'record-run', runId, events: append.events }, evalRunDecider);
  if (result.appended === append.events.length) {
    return { status: 'recorded', streamId: append.streamId, run: runData(append.events), events: result.appended };
  }
  return { status: 'already-recorded', streamId: append.streamId, run: runData(result.state), events: result.state.length };
}

function runData(events: readonly NewEvent[]): EvalRunRecordedData {
  const run = events.find((e) => e.type === 'EvalRunRecorded');
  if (!run) throw new Error('An eval run stream without its EvalRunRecorded event');
  return run.data as EvalRunRecordedData;
}
