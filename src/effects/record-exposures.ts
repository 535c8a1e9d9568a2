/**
 * Records the exposure of eval outcomes (POST /exposures): every outcome must exist, every lesson id must be a
 * lesson; a path is resolved to its lesson when one has it, else kept as an unresolved reference. Everything is
 * checked before anything is written: one problem is a 400 listing every problem, and nothing is appended.
 * Each outcome's exposure is then one event on its own stream through handleCommand (a re-sent report appends
 * nothing: its id is derived from the outcome and the source).
 */
import type { RewardOutcome } from '../../contracts/bandit.js';
import { newEvent } from '../../contracts/catalogue.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { exposureEventId, exposureStreamId, type LessonExposureRecordedData } from '../../contracts/exposure.js';
import { resolveEvalOutcomes, type UnknownReference } from '../bandit/outcome-rewards/resolve-eval-outcomes.js';
import { handleCommand } from '../common/commands/handle-command.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { evalRunStreamId } from '../ingest/eval-run-events.js';
import { lessonStreamId } from '../lessons/domain/lesson-stream.js';
import { exposureDecider } from './exposure-decider.js';
import type { ExposureBody, ExposuresBody } from './exposure-request.schemas.js';
import { lessonIdsByPath } from './lesson-paths.js';

export class InvalidExposureError extends Error {
  constructor(readonly problems: UnknownReference[]) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
    this.name = 'InvalidExposureError';
  }
}

export interface RecordedExposure {
  outcomeEventId: string;
  eventId: string;
  /** false: this source had already reported this outcome (nothing appended). */
  appended: boolean;
  unresolvedPaths: string[];
}

type LessonRef = ExposureBody['injected'][number] | ExposureBody['withheld'][number];

async function outcomesOf(sql: SqlExecutor | null, store: EventStore, body: ExposuresBody, problems: UnknownReference[]) {
  const ids = [...new Set(body.exposures.map((e) => e.outcomeEventId))];
  const { outcomes, unknown } = await resolveEvalOutcomes(sql, store, { eventIds: ids, tests: [] });
  for (const problem of unknown) {
    const id = ids[Number(problem.field.split('.')[1])];
    body.exposures.forEach((e, i) => e.outcomeEventId === id && problems.push({ field: `exposures.${i}.outcomeEventId`, reason: problem.reason }));
  }
  const recorded = new Map<string, { occurredAt: string; suite?: string | undefined }>();
  for (const runId of new Set(outcomes.map((o) => o.runId))) {
    for (const event of await store.readStream(evalRunStreamId(runId))) {
      if (event.type === 'TestOutcomeRecorded') recorded.set(event.eventId, { occurredAt: event.metadata.occurredAt, suite: (event.data as TestOutcomeRecordedData).suite });
    }
  }
  return { byId: new Map<string, RewardOutcome>(outcomes.map((o) => [o.eventId, o])), recorded };
}

export async function recordExposures(sql: SqlExecutor | null, store: EventStore, body: ExposuresBody, actor?: string): Promise<RecordedExposure[]> {
  const problems: UnknownReference[] = [];
  const { byId, recorded } = await outcomesOf(sql, store, body, problems);
  const refs = body.exposures.flatMap((e, i) => [
    ...e.injected.map((ref, k) => ({ ref, field: `exposures.${i}.injected.${k}` })),
    ...e.withheld.map((ref, k) => ({ ref, field: `exposures.${i}.withheld.${k}` })),
  ]);
  const missingIds = new Set<string>();
  for (const id of new Set(refs.flatMap(({ ref }) => (ref.lessonId === undefined ? [] : [ref.lessonId])))) {
    if ((await store.readStream(lessonStreamId(id))).length === 0) missingIds.add(id);
  }
  for (const { ref, field } of refs) {
    if (ref.lessonId !== undefined && missingIds.has(ref.lessonId)) problems.push({ field: `${field}.lessonId`, reason: `no lesson has id ${ref.lessonId}` });
  }
  const byPath = await lessonIdsByPath(sql, [...new Set(refs.flatMap(({ ref }) => (ref.path === undefined ? [] : [ref.path])))]);
  const resolve = <R extends LessonRef>(ref: R): R => {
    const lessonId = ref.path !== undefined ? byPath.get(ref.path) : undefined;
    if (lessonId === undefined) return ref;
    const { path: _path, ...rest } = ref;
    return { ...rest, lessonId } as R;
  };
  const events = body.exposures.map((exposure, i) => {
    const outcome = byId.get(exposure.outcomeEventId);
    if (!outcome) return null;
    const stored = recorded.get(outcome.eventId);
    const data: LessonExposureRecordedData = {
      outcome: { ...outcome, ...(stored?.suite ? { suite: stored.suite } : {}) },
      ...(exposure.category ? { category: exposure.category } : {}),
      ...(exposure.sessionId ? { sessionId: exposure.sessionId } : {}),
      injected: exposure.injected.map(resolve),
      withheld: exposure.withheld.map(resolve),
    };
    const metadata = { occurredAt: stored?.occurredAt ?? new Date().toISOString(), source: body.source, ...(actor ? { actor } : {}) };
    try {
      return newEvent('LessonExposureRecorded', data, metadata, exposureEventId(outcome.eventId, body.source));
    } catch (error) {
      problems.push({ field: `exposures.${i}`, reason: error instanceof Error ? error.message : String(error) });
      return null;
    }
  });
  if (problems.length > 0) throw new InvalidExposureError(problems);
  const results: RecordedExposure[] = [];
  for (const event of events) {
    const e = event!;
    const result = await handleCommand(store, exposureStreamId(e.data.outcome.eventId), { event: e }, exposureDecider);
    const unresolvedPaths = [...e.data.injected, ...e.data.withheld].flatMap((r) => (r.path === undefined ? [] : [r.path]));
    results.push({ outcomeEventId: e.data.outcome.eventId, eventId: e.eventId, appended: result.appended > 0, unresolvedPaths });
  }
  return results;
}
