/**
 * `lessonloop import results <dir>`: imports a gptme `eval_results/` tree. Each run folder becomes one stream
 * written atomically; runs go to the store in batches through `appendMany` (the bulk path). A malformed run is
 * rejected whole (nothing of it written) and the others still import; a second import adds nothing.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { EventValidationError } from '../../contracts/catalogue.js';
import { runsIngested } from '../common/metrics/app-metrics.js';
import { ConcurrencyError, type AppendResult, type EventStore, type StreamAppend } from '../event-store/event-store.port.js';
import { buildEvalRunEvents } from './eval-run-events.js';
// Shared with POST /eval-runs so the CLI and the API agree on what counts as the same run.
import { runDifferences } from './compare-runs.js';
import { IngestError, formatIssue } from './gptme/ingest-issue.js';
import { readRunFolder } from './gptme/read-run-folder.js';
import { isRunFolderName } from './gptme/run-folder.js';
import { silentProgress, type ImportProgress, type ImportProgressState } from './import-progress.js';

export interface ImportResultsOptions {
  /** A batch is sent once it holds at least this many events (whole runs only). */
  batchEvents?: number;
  progress?: ImportProgress;
}

export interface RejectedRun {
  runId: string;
  /** `file:line: reason` lines. */
  reasons: string[];
}

export interface ImportSummary {
  dir: string;
  runsFound: number;
  newRuns: number;
  alreadyRecorded: number;
  rejected: RejectedRun[];
  /** Entries of `dir` that are not run folders (`name/` for folders), left alone. */
  skipped: string[];
  warnings: string[];
  /** Outcome rows in the runs that were accepted (new or already recorded). */
  outcomes: number;
  eventsAppended: number;
  elapsedMs: number;
}

export const DEFAULT_BATCH_EVENTS = 10_000;

interface PreparedRun {
  runId: string;
  append: StreamAppend;
  outcomes: number;
}

export async function importResults(store: EventStore, dir: string, options: ImportResultsOptions = {}): Promise<ImportSummary> {
  const batchEvents = options.batchEvents ?? DEFAULT_BATCH_EVENTS;
  const progress = options.progress ?? silentProgress;
  const startedAt = Date.now();
  const { runFolders, skipped } = await listRunFolders(dir);
  const summary: ImportSummary = {
    dir,
    runsFound: runFolders.length,
    newRuns: 0,
    alreadyRecorded: 0,
    rejected: [],
    skipped,
    warnings: [],
    outcomes: 0,
    eventsAppended: 0,
    elapsedMs: 0,
  };
  const state: ImportProgressState = { runsDone: 0, runsTotal: runFolders.length, rows: 0, elapsedMs: 0 };
  const tick = (runs: number, rows: number) => {
    state.runsDone += runs;
    state.rows += rows;
    state.elapsedMs = Date.now() - startedAt;
    progress.update(state);
  };

  const writeBatch = async (batch: PreparedRun[]) => {
    await appendBatch(store, batch, summary);
    tick(batch.length, batch.reduce((n, run) => n + run.outcomes, 0));
  };

  progress.start(runFolders.length);
  let batch: PreparedRun[] = [];
  let batchSize = 0;
  // One batch is written while the next is read and parsed: the database works while this process parses.
  let writing: Promise<void> = Promise.resolve();
  try {
    for (const folder of runFolders) {
      try {
        const run = await readRunFolder(path.join(dir, folder));
        summary.warnings.push(...run.warnings);
        const append = buildEvalRunEvents(run);
        batch.push({ runId: run.runId, append, outcomes: run.outcomes.length });
        batchSize += append.events.length;
      } catch (error) {
        if (!(error instanceof IngestError)) throw error;
        summary.rejected.push({ runId: folder, reasons: error.issues.map(formatIssue) });
        tick(1, 0);
      }
      if (batchSize >= batchEvents) {
        await writing;
        writing = writeBatch(batch);
        // Marked handled now (it is awaited before the next batch): a write failing while files are being read
        // must not become an unhandled rejection that kills the process.
        writing.catch(() => undefined);
        batch = [];
        batchSize = 0;
      }
    }
    await writing;
    if (batch.length > 0) await writeBatch(batch);
  } finally {
    // When the loop itself threw, a write may still be running: let it finish before returning.
    await writing.catch(() => undefined);
    state.elapsedMs = Date.now() - startedAt;
    progress.stop(state);
  }
  summary.elapsedMs = Date.now() - startedAt;
  runsIngested.inc({ source: 'import', result: 'recorded' }, summary.newRuns);
  runsIngested.inc({ source: 'import', result: 'already-recorded' }, summary.alreadyRecorded);
  runsIngested.inc({ source: 'import', result: 'rejected' }, summary.rejected.length);
  return summary;
}

/** Run folders sorted by name (= by time); everything else is listed as skipped. */
async function listRunFolders(dir: string): Promise<{ runFolders: string[]; skipped: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true });
  const runFolders: string[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && isRunFolderName(entry.name)) runFolders.push(entry.name);
    else skipped.push(entry.isDirectory() ? `${entry.name}/` : entry.name);
  }
  return { runFolders: runFolders.sort(), skipped: skipped.sort() };
}

/**
 * One atomic appendMany for the whole batch. If it is refused (a run recorded before with other content, an
 * event the catalogue rejects), the runs are retried one by one so only the offending run is rejected.
 */
async function appendBatch(store: EventStore, batch: PreparedRun[], summary: ImportSummary): Promise<void> {
  let results: AppendResult[] | undefined;
  try {
    results = await store.appendMany(batch.map((run) => run.append));
  } catch (error) {
    if (batch.length === 1 || !isRunRefusal(error)) throw error;
  }
  if (results) {
    for (const [i, run] of batch.entries()) await settle(store, summary, run, results[i]!.appended);
    return;
  }
  for (const run of batch) {
    try {
      const [result] = await store.appendMany([run.append]);
      await settle(store, summary, run, result!.appended);
    } catch (error) {
      if (error instanceof ConcurrencyError) await settle(store, summary, run, 0);
      else if (error instanceof EventValidationError) {
        summary.rejected.push({ runId: run.runId, reasons: [`${run.append.streamId}: refused by the event catalogue: ${error.message}`] });
      } else throw error;
    }
  }
}

/**
 * Ids are derived from (run, model, format, test, occurrence), so a run whose file changed after it was
 * recorded finds its ids stored too: compare the content before calling it "already recorded".
 */
async function settle(store: EventStore, summary: ImportSummary, run: PreparedRun, appended: number): Promise<void> {
  if (appended === run.append.events.length) {
    summary.newRuns++;
    summary.outcomes += run.outcomes;
    summary.eventsAppended += appended;
    return;
  }
  const differences = runDifferences(await store.readStream(run.append.streamId), run.append.events);
  if (differences.length > 0) {
    summary.rejected.push({
      runId: run.runId,
      reasons: [`${run.append.streamId}: already recorded with different content; not changed: ${differences.join('; ')}`],
    });
    return;
  }
  summary.alreadyRecorded++;
  summary.outcomes += run.outcomes;
  summary.eventsAppended += appended;
}

function isRunRefusal(error: unknown): error is ConcurrencyError | EventValidationError {
  return error instanceof ConcurrencyError || error instanceof EventValidationError;
}

export function formatImportSummary(summary: ImportSummary): string {
  const lines = [
    `${summary.newRuns} runs new, ${summary.alreadyRecorded} already recorded, ${summary.rejected.length} rejected ` +
      `(${summary.runsFound} run folders in ${summary.dir}; ${summary.outcomes} outcomes, ` +
      `${summary.eventsAppended} events appended in ${(summary.elapsedMs / 1000).toFixed(1)} s)`,
  ];
  if (summary.skipped.length > 0) lines.push(`Skipped (not run folders): ${summary.skipped.join(', ')}`);
  for (const run of summary.rejected) {
    lines.push(`Rejected ${run.runId}:`, ...run.reasons.map((reason) => `  ${reason}`));
  }
  if (summary.warnings.length > 0) lines.push('Warnings:', ...summary.warnings.map((w) => `  ${w}`));
  return lines.join('\n');
}
