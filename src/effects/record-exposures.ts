/**
 * Records the exposure of eval outcomes (POST /exposures): every outcome must exist, every lesson id must be a
 * lesson; a path is resolved to its lesson when one has it, else kept as an unresolved reference. Everything is
 * checked before anything is written: one problem is a 400 listing every problem, and nothing is appended.
 * Each outcome's exposure is then one event on its own stream through handleCommand (a re-sent report appends
 * nothing: its id is derived from the outcome and the source). A lesson named without its revision gets the
 * revision in force when the outcome ran: its stream's last event at or before the outcome's time (none when
 * the lesson did not exist yet).
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
import type { RecordedEvent } from '../../contracts/envelope.js';
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

export type LessonRef = ExposureBody['injected'][number] | ExposureBody['withheld'][number];

function outcomeOf(event: RecordedEvent): RewardOutcome {
  const data = event.data as TestOutcomeRecordedData;
  return { eventId: event.eventId, globalPosition: event.globalPosition.toString(), runId: data.runId, test: data.test, model: data.rawModel, passed: data.passed, suspectedInfraError: data.suspectedInfraError };
}

/** `runId`: the run the outcomes were just recorded in (read from its stream, no outcome index needed). */
async function outcomesOf(sql: SqlExecutor | null, store: EventStore, body: ExposuresBody, problems: UnknownReference[], runId?: string) {
  const ids = [...new Set(body.exposures.map((e) => e.outcomeEventId))];
  const inRun = runId === undefined ? [] : (await store.readStream(evalRunStreamId(runId))).filter((e) => e.type === 'TestOutcomeRecorded' && ids.includes(e.eventId));
  const rest = ids.filter((id) => !inRun.some((e) => e.eventId === id));
  const { outcomes, unknown } = rest.length === 0 ? { outcomes: [], unknown: [] } : await resolveEvalOutcomes(sql, store, { eventIds: rest, tests: [] });
  for (const problem of unknown) {
    const id = rest[Number(problem.field.split('.')[1])];
    body.exposures.forEach((e, i) => e.outcomeEventId === id && problems.push({ field: `exposures.${i}.outcomeEventId`, reason: problem.reason }));
  }
  outcomes.push(...inRun.map(outcomeOf));
  const recorded = new Map<string, { occurredAt: string; suite?: string | undefined }>();
  for (const run of new Set(outcomes.map((o) => o.runId))) {
    for (const event of await store.readStream(evalRunStreamId(run))) {
      if (event.type === 'TestOutcomeRecorded') recorded.set(event.eventId, { occurredAt: event.metadata.occurredAt, suite: (event.data as TestOutcomeRecordedData).suite });
    }
  }
  return { byId: new Map<string, RewardOutcome>(outcomes.map((o) => [o.eventId, o])), recorded };
}

/** The lesson streams of these ids (empty: no such lesson). */
async function lessonStreams(store: EventStore, ids: Iterable<string>): Promise<Map<string, RecordedEvent[]>> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const id of new Set(ids)) streams.set(id, await store.readStream(lessonStreamId(id)));
  return streams;
}

/** Problems of lesson ids no lesson has, under each reference's field (`<field>.lessonId`). */
export function lessonRefsOf(body: ExposuresBody): { ref: LessonRef; field: string }[] {
  return body.exposures.flatMap((e, i) => [
    ...e.injected.map((ref, k) => ({ ref, field: `exposures.${i}.injected.${k}` })),
    ...e.withheld.map((ref, k) => ({ ref, field: `exposures.${i}.withheld.${k}` })),
  ]);
}

export async function unknownLessonIds(store: EventStore, refs: readonly { ref: LessonRef; field: string }[]): Promise<UnknownReference[]> {
  const streams = await lessonStreams(store, refs.flatMap(({ ref }) => (ref.lessonId === undefined ? [] : [ref.lessonId])));
  return refs.flatMap(({ ref, field }) =>
    ref.lessonId !== undefined && streams.get(ref.lessonId)!.length === 0 ? [{ field: `${field}.lessonId`, reason: `no lesson has id ${ref.lessonId}` }] : [],
  );
}

/** The lesson's stream revision in force at `at`: its last event at or before then. */
function revisionAt(stream: readonly RecordedEvent[] | undefined, at: string): number | undefined {
  const until = Date.parse(at);
  let revision: number | undefined;
  for (const event of stream ?? []) if (Date.parse(event.metadata.occurredAt) <= until) revision = Number(event.streamRevision);
  return revision;
}

export async function recordExposures(sql: SqlExecutor | null, store: EventStore, body: ExposuresBody, actor?: string, runId?: string): Promise<RecordedExposure[]> {
  const problems: UnknownReference[] = [];
  const { byId, recorded } = await outcomesOf(sql, store, body, problems, runId);
  const refs = lessonRefsOf(body);
  problems.push(...(await unknownLessonIds(store, refs)));
  const byPath = await lessonIdsByPath(sql, [...new Set(refs.flatMap(({ ref }) => (ref.path === undefined ? [] : [ref.path])))]);
  const streams = await lessonStreams(store, [...refs.flatMap(({ ref }) => (ref.lessonId === undefined ? [] : [ref.lessonId])), ...byPath.values()]);
  const resolve = <R extends LessonRef>(ref: R, at: string): R => {
    const lessonId = ref.path !== undefined ? byPath.get(ref.path) : ref.lessonId;
    if (lessonId === undefined) return ref;
    const { path: _path, ...rest } = ref;
    const revision = ref.revision ?? revisionAt(streams.get(lessonId), at);
    return { ...rest, lessonId, ...(revision === undefined ? {} : { revision }) } as R;
  };
  const events = body.exposures.map((exposure, i) => {
    const outcome = byId.get(exposure.outcomeEventId);
    if (!outcome) return null;
    const stored = recorded.get(outcome.eventId);
    const at = stored?.occurredAt ?? new Date().toISOString();
    const data: LessonExposureRecordedData = {
      outcome: { ...outcome, ...(stored?.suite ? { suite: stored.suite } : {}) },
      ...(exposure.category ? { category: exposure.category } : {}),
      ...(exposure.sessionId ? { sessionId: exposure.sessionId } : {}),
      injected: exposure.injected.map((ref) => resolve(ref, at)),
      withheld: exposure.withheld.map((ref) => resolve(ref, at)),
    };
    const metadata = { occurredAt: at, source: body.source, ...(actor ? { actor } : {}) };
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
