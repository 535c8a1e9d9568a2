/**
 * `lessonloop exposure import <dir>`: exposure for the runs of a gptme `eval_results/` tree that are already
 * imported, from each run's `lessons.jsonl` manifest and each outcome's log under LESSONLOOP_LOG_ROOT. A run's
 * exposures are checked whole first (a bad manifest rejects that run, nothing of it written); each outcome's
 * exposure is then one event through handleCommand with a deterministic id, so importing again appends nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { exposureStreamId } from '../../contracts/exposure.js';
import { handleCommand } from '../common/commands/handle-command.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { exposureDecider } from '../effects/exposure-decider.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { openLogRoot, type LogRoot } from '../gptme-logs/index.js';
import { evalRunStreamId } from '../ingest/eval-run-events.js';
import { formatIssue } from '../ingest/gptme/ingest-issue.js';
import { isRunFolderName } from '../ingest/gptme/run-folder.js';
import { lessonStreamId } from '../lessons/domain/lesson-stream.js';
import { catalogueLessons } from './catalogue-lessons.js';
import { lessonsByPath } from './log-exposure.js';
import { MANIFEST_FILE, parseManifest } from './manifest.js';
import { runExposures } from './outcome-exposures.js';

export interface ExposureImportOptions {
  /** LESSONLOOP_LOG_ROOT; unset: logs are not read (manifests still are). */
  logRoot?: string | undefined;
  /** gptme's GPTME_LESSONS_MAX_INCLUDED in those runs (default 5). */
  cap?: number;
  /** Runs known to have run without some or all lessons: their withheld lessons are `run-holdout`. */
  runHoldoutRuns?: ReadonlySet<string>;
}

export interface ExposureImportSummary {
  dir: string;
  runs: number;
  /** Run folders whose run is not in the store (import results first). */
  notImported: string[];
  rejected: { runId: string; reasons: string[] }[];
  appended: { manifest: number; log: number; unknown: number };
  alreadyRecorded: number;
  /** Unknown exposures: `Log Dir[:line]: kind: reason`. */
  unreadableLogs: string[];
  warnings: string[];
}

async function readManifest(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function importExposureFiles(store: EventStore, sql: SqlExecutor | null, dir: string, options: ExposureImportOptions = {}): Promise<ExposureImportSummary> {
  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && isRunFolderName(e.name)).map((e) => e.name).sort();
  const summary: ExposureImportSummary = { dir, runs: folders.length, notImported: [], rejected: [], appended: { manifest: 0, log: 0, unknown: 0 }, alreadyRecorded: 0, unreadableLogs: [], warnings: [] };
  let logRoot: LogRoot | null = null;
  if (options.logRoot !== undefined) {
    const opened = await openLogRoot(options.logRoot);
    if (!opened.ok) throw new Error(opened.error.reason);
    logRoot = opened.root;
  }
  const lessons = await catalogueLessons(sql);
  if (lessons === null) summary.warnings.push('the lesson catalogue is not built: every lesson path stays an unresolved reference and no withheld lesson is found in logs');
  const known = lessonsByPath(lessons ?? []);
  const exists = new Map<string, boolean>();
  const lessonExists = async (id: string) => {
    if (!exists.has(id)) exists.set(id, (await store.readStream(lessonStreamId(id))).length > 0);
    return exists.get(id)!;
  };
  for (const folder of folders) {
    const outcomes = (await store.readStream(evalRunStreamId(folder))).filter((e) => e.type === 'TestOutcomeRecorded');
    if (outcomes.length === 0) {
      summary.notImported.push(folder);
      continue;
    }
    const file = path.join(dir, folder, MANIFEST_FILE);
    const text = await readManifest(file);
    const parsed = text === null ? null : parseManifest(text, file);
    if (parsed && !parsed.ok) {
      summary.rejected.push({ runId: folder, reasons: parsed.issues.map(formatIssue) });
      continue;
    }
    const run = await runExposures({
      outcomes,
      manifest: parsed ? { file, lines: parsed.lines } : null,
      known,
      logRoot,
      lessonExists,
      ...(options.cap !== undefined ? { cap: options.cap } : {}),
      runHoldout: options.runHoldoutRuns?.has(folder) ?? false,
    });
    summary.warnings.push(...run.warnings);
    if (run.issues.length > 0) {
      summary.rejected.push({ runId: folder, reasons: run.issues.map(formatIssue) });
      continue;
    }
    summary.unreadableLogs.push(...run.unknown);
    for (const event of run.events) {
      const result = await handleCommand(store, exposureStreamId(event.data.outcome.eventId), { event }, exposureDecider);
      if (result.appended === 0) summary.alreadyRecorded += 1;
      else summary.appended[event.metadata.source === 'gptme-manifest' ? 'manifest' : event.metadata.source === 'gptme-log' ? 'log' : 'unknown'] += 1;
    }
  }
  return summary;
}

export function formatExposureImportSummary(s: ExposureImportSummary): string {
  const lines = [
    `${s.runs} run folder(s) in ${s.dir}: ${s.appended.manifest} exposure(s) from manifests, ${s.appended.log} from logs, ` +
      `${s.appended.unknown} unknown (log unreadable), ${s.alreadyRecorded} already recorded`,
  ];
  if (s.notImported.length > 0) lines.push(`not imported yet (run \`lessonloop import results\` first): ${s.notImported.join(', ')}`);
  for (const r of s.rejected) lines.push(`rejected ${r.runId} (nothing of it written):`, ...r.reasons.map((x) => `  ${x}`));
  for (const u of s.unreadableLogs.slice(0, 20)) lines.push(`unknown exposure: ${u}`);
  if (s.unreadableLogs.length > 20) lines.push(`... and ${s.unreadableLogs.length - 20} more unknown exposures`);
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
