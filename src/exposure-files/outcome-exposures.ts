/**
 * One run's exposures from its files: the manifest line of an outcome when there is one (source
 * `gptme-manifest`), else its log (source `gptme-log`); a log that cannot be read is an unknown exposure (source
 * `gptme-log-unknown`, so a later good read is still recorded). Everything is checked before anything is
 * returned: one bad manifest line or unknown lesson id rejects the run's exposures whole.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { exposureEventId, type InjectedLesson, type LessonExposureRecordedData, type WithheldLesson } from '../../contracts/exposure.js';
import { newEvent, type NewEventOf } from '../../contracts/catalogue.js';
import { formatLogReadError, readConversation, type LogRoot } from '../gptme-logs/index.js';
import type { IngestIssue } from '../ingest/gptme/ingest-issue.js';
import { manifestKey, type ManifestLine } from './manifest.js';
import { exposureFromConversation, referenceFor, type LessonsByPath } from './log-exposure.js';

export const EXPOSURE_SOURCES = { manifest: 'gptme-manifest', log: 'gptme-log', unknown: 'gptme-log-unknown' } as const;

export interface RunExposureInput {
  outcomes: readonly RecordedEvent[];
  manifest: { file: string; lines: readonly (ManifestLine & { line: number })[] } | null;
  known: LessonsByPath;
  /** null: LESSONLOOP_LOG_ROOT unset, logs are not read. */
  logRoot: LogRoot | null;
  lessonExists: (lessonId: string) => Promise<boolean>;
  cap?: number;
  runHoldout?: boolean;
}

export interface RunExposures {
  events: NewEventOf<'LessonExposureRecorded'>[];
  issues: IngestIssue[];
  warnings: string[];
  unknown: string[];
}

function snapshot(event: RecordedEvent): LessonExposureRecordedData['outcome'] {
  const d = event.data as TestOutcomeRecordedData;
  return {
    eventId: event.eventId,
    globalPosition: event.globalPosition.toString(),
    runId: d.runId,
    test: d.test,
    model: d.rawModel,
    passed: d.passed,
    suspectedInfraError: d.suspectedInfraError,
    ...(d.suite ? { suite: d.suite } : {}),
  };
}

async function manifestRefs<R extends InjectedLesson | WithheldLesson>(
  refs: readonly R[],
  where: string,
  input: RunExposureInput,
  issues: IngestIssue[],
  file: string,
  line: number,
): Promise<R[]> {
  const out: R[] = [];
  for (const [k, ref] of refs.entries()) {
    if (ref.lessonId !== undefined) {
      if (await input.lessonExists(ref.lessonId)) out.push(ref);
      else issues.push({ file, line, field: `${where}.${k}.lessonId`, reason: `${where}.${k}.lessonId: no lesson has id ${ref.lessonId}` });
      continue;
    }
    const mapped = referenceFor(ref.path!, input.known);
    if (mapped === null) issues.push({ file, line, field: `${where}.${k}.path`, reason: `${where}.${k}.path: refused (a . or .. component)` });
    else out.push({ ...ref, path: undefined, ...mapped } as R);
  }
  return out.map((r) => JSON.parse(JSON.stringify(r)) as R);
}

export async function runExposures(input: RunExposureInput): Promise<RunExposures> {
  const result: RunExposures = { events: [], issues: [], warnings: [], unknown: [] };
  const byKey = new Map<string, RecordedEvent>();
  for (const event of input.outcomes) {
    const d = event.data as TestOutcomeRecordedData;
    byKey.set(manifestKey(d.rawModel, d.toolFormat, d.test, d.occurrence), event);
    if (!byKey.has(manifestKey(d.rawModel, null, d.test, d.occurrence))) byKey.set(manifestKey(d.rawModel, null, d.test, d.occurrence), event);
  }
  const fromManifest = new Map<string, { line: ManifestLine & { line: number } }>();
  for (const line of input.manifest?.lines ?? []) {
    const event = byKey.get(manifestKey(line.model, line.format, line.test, line.occurrence));
    if (!event) result.warnings.push(`${input.manifest!.file}:${line.line}: matches no outcome of the run; ignored`);
    else fromManifest.set(event.eventId, { line });
  }
  const add = (event: RecordedEvent, source: string, exposure: Omit<LessonExposureRecordedData, 'outcome'>) => {
    const data: LessonExposureRecordedData = { outcome: snapshot(event), ...exposure };
    try {
      result.events.push(newEvent('LessonExposureRecorded', data, { occurredAt: event.metadata.occurredAt, source }, exposureEventId(event.eventId, source)));
    } catch (error) {
      result.issues.push({ file: source, line: 0, reason: `outcome ${event.eventId}: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  for (const event of input.outcomes) {
    const entry = fromManifest.get(event.eventId);
    if (entry) {
      const { line } = entry;
      const file = input.manifest!.file;
      const injected = await manifestRefs(line.injected, 'injected', input, result.issues, file, line.line);
      const withheld = await manifestRefs(line.withheld, 'withheld', input, result.issues, file, line.line);
      add(event, EXPOSURE_SOURCES.manifest, { ...(line.category ? { category: line.category } : {}), injected, withheld });
      continue;
    }
    const logDir = (event.data as TestOutcomeRecordedData).logDir;
    if (!logDir || !input.logRoot) continue;
    const read = await readConversation(input.logRoot, logDir);
    if (!read.ok) {
      const reason = formatLogReadError(read.error);
      result.unknown.push(reason);
      add(event, EXPOSURE_SOURCES.unknown, { injected: [], withheld: [], unknownBecause: reason.slice(0, 2000) });
      continue;
    }
    add(event, EXPOSURE_SOURCES.log, exposureFromConversation(read.messages, input.known, { cap: input.cap, runHoldout: input.runHoldout }));
  }
  return result;
}
