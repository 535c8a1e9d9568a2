/**
 * The exposure sent with a JSON run (`lessons: { injected, withheld, category? }` per outcome) as the body of
 * POST /exposures, with each outcome's event id from the run's own events: the same LessonExposureRecorded
 * events, under the same source (`api`), so a later POST /exposures of the same exposure appends nothing.
 * The run's events do not hold it: a run sent again with or without its exposure is the same run.
 */
import type { TestOutcomeRecordedData } from '../../../../contracts/eval.js';
import { LessonExposureRecordedSchema } from '../../../../contracts/exposure.js';
import type { StreamAppend } from '../../../event-store/event-store.port.js';
import type { RunProblem } from './run-problem.js';
import type { ExposuresBody } from '../../../effects/exposure-request.schemas.js';
import { evalRunBodySchema } from '../dto/eval-run-body.schema.js';

export const RUN_EXPOSURE_SOURCE = 'api';

/** null when no outcome names its lessons (or the body is not a valid run: the run's own checks report that). */
export function runExposures(body: unknown, append: StreamAppend): ExposuresBody | null {
  const parsed = evalRunBodySchema.safeParse(body);
  if (!parsed.success) return null;
  const outcomeIds = append.events.filter((e) => e.type === 'TestOutcomeRecorded').map((e) => e.eventId!);
  const exposures = parsed.data.outcomes.flatMap((outcome, i) =>
    outcome.lessons === undefined
      ? []
      : [{ outcomeEventId: outcomeIds[i]!, ...(outcome.lessons.category ? { category: outcome.lessons.category } : {}), injected: outcome.lessons.injected, withheld: outcome.lessons.withheld }],
  );
  return exposures.length === 0 ? null : { source: RUN_EXPOSURE_SOURCE, exposures };
}

/** The row (outcome index) an exposure problem's field (`exposures.<i>.…`) points at, and the field within the outcome. */
export function exposureProblemRow(body: ExposuresBody, field: string, outcomeIds: readonly string[]): { row: number | null; field: string } {
  const [, index, ...rest] = field.split('.');
  const exposure = body.exposures[Number(index)];
  const row = exposure ? outcomeIds.indexOf(exposure.outcomeEventId) : -1;
  return { row: row >= 0 ? row : null, field: `lessons.${rest.join('.')}` };
}

/**
 * What the exposure event itself refuses (e.g. one lesson both injected and withheld), checked before the run is
 * written, against the outcome as it will be recorded.
 */
export function exposureShapeProblems(body: ExposuresBody, append: StreamAppend): RunProblem[] {
  const outcomes = append.events.filter((e) => e.type === 'TestOutcomeRecorded');
  return body.exposures.flatMap((exposure) => {
    const row = outcomes.findIndex((e) => e.eventId === exposure.outcomeEventId);
    const data = outcomes[row]!.data as TestOutcomeRecordedData;
    const outcome = { eventId: exposure.outcomeEventId, globalPosition: '0', runId: data.runId, test: data.test, model: data.rawModel, passed: data.passed, suspectedInfraError: data.suspectedInfraError };
    const parsed = LessonExposureRecordedSchema.safeParse({ outcome, injected: exposure.injected, withheld: exposure.withheld, ...(exposure.category ? { category: exposure.category } : {}) });
    return parsed.success ? [] : parsed.error.issues.map((issue) => ({ row, field: ['lessons', ...issue.path.map(String)].join('.'), reason: issue.message }));
  });
}
