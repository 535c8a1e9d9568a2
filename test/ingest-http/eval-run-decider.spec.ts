import { buildEvalRunEvents } from '../../src/ingest/eval-run-events.js';
import { evalRunFromJson } from '../../src/ingest/http/intake/json-run.js';
import { evalRunDecider, RunConflictError } from '../../src/ingest/http/record/record-eval-run.js';
import { deciderSpec } from '../support/decider-spec.js';

function runEvents(passed: boolean) {
  const intake = evalRunFromJson({ runId: 'r1', startedAt: '2026-04-01T00:00:00Z', outcomes: [{ model: 'm@tool', test: 'a', passed }] });
  if (!intake.ok) throw new Error(JSON.stringify(intake.problems));
  return buildEvalRunEvents(intake.run).events;
}
const evalRun = deciderSpec(evalRunDecider);

describe('eval run: decide (given its stream, when recorded, then its events, nothing, or a conflict)', () => {
  it('a new run is its events, whole: ids and metadata as built from the run', () => {
    const events = runEvents(true);
    evalRun.given([]).when({ kind: 'record-run', runId: 'r1', events }).then(events);
  });

  it('the same run again decides nothing', () => {
    evalRun.given(runEvents(true)).when({ kind: 'record-run', runId: 'r1', events: runEvents(true) }).thenNothing();
  });

  it('other content under the run id is refused with the differences', () => {
    evalRun
      .given(runEvents(true))
      .when({ kind: 'record-run', runId: 'r1', events: runEvents(false) })
      .thenThrows(RunConflictError, { runId: 'r1', differences: ['the run summary differs: counts', 'outcome m@tool (tool) / a differs: passed'] });
  });
});
