import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvalCase } from '../../../contracts/eval.js';
import { casesFolderCandidates, findCasesFiles } from './cases-discovery.js';
import { IngestError, type IngestIssue } from './ingest-issue.js';
import { parseCasesCsv } from './parse-cases.js';
import { parseEvalResultsCsv, type EvalResultRow } from './parse-eval-results.js';
import { runTimeFromFolderName } from './run-folder.js';

export const EVAL_RESULTS_FILE = 'eval_results.csv';

export interface GptmeRunOutcome extends EvalResultRow {
  cases?: EvalCase[];
}

/** One gptme run read from disk, checked, not yet turned into events. */
export interface GptmeRun {
  runId: string;
  startedAt: string;
  /** `gptme-csv:<folder>`. */
  source: string;
  outcomes: GptmeRunOutcome[];
  /** Things worth a look that do not reject the run (a cases.csv that matches no outcome). */
  warnings: string[];
}

export function gptmeCsvSource(folderName: string): string {
  return `gptme-csv:${folderName}`;
}

/**
 * Reads `<runDir>/eval_results.csv` and its cases.csv files. Any problem in any of them throws one IngestError
 * with all issues: the run is imported whole or not at all.
 */
export async function readRunFolder(runDir: string): Promise<GptmeRun> {
  const folderName = path.basename(runDir);
  const startedAt = runTimeFromFolderName(folderName);
  if (startedAt === null) throw new IngestError([{ file: runDir, line: 0, reason: 'not a run folder name (YYYYMMDD_HHMMSSZ)' }]);

  const resultsFile = path.join(runDir, EVAL_RESULTS_FILE);
  const { rows } = parseEvalResultsCsv(await readTextFile(resultsFile), resultsFile);
  const outcomes: GptmeRunOutcome[] = rows;
  const warnings: string[] = [];
  const issues: IngestIssue[] = [];

  const casesFiles = await findCasesFiles(runDir).catch((error: NodeJS.ErrnoException) => {
    throw new IngestError([{ file: runDir, line: 0, reason: `cannot list the run folder: ${describeFsError(error)}` }]);
  });
  if (casesFiles.size > 0) {
    const outcomesByFolder = groupByCasesFolder(outcomes, casesFiles);
    for (const [folder, file] of casesFiles) {
      const matching = outcomesByFolder.get(folder) ?? [];
      if (matching.length !== 1) {
        warnings.push(`${file}: ${matching.length === 0 ? 'matches no outcome of the run' : `matches ${matching.length} outcomes`}; not attached`);
        continue;
      }
      try {
        matching[0]!.cases = parseCasesCsv(await readTextFile(file), file);
      } catch (error) {
        if (error instanceof IngestError) issues.push(...error.issues);
        else throw error;
      }
    }
  }
  if (issues.length > 0) throw new IngestError(issues);
  return { runId: folderName, startedAt, source: gptmeCsvSource(folderName), outcomes, warnings };
}

/** Each outcome goes to the first candidate folder that holds a cases.csv. */
function groupByCasesFolder(outcomes: GptmeRunOutcome[], casesFiles: ReadonlyMap<string, string>): Map<string, GptmeRunOutcome[]> {
  const byFolder = new Map<string, GptmeRunOutcome[]>();
  for (const outcome of outcomes) {
    const folder = casesFolderCandidates(outcome).find((candidate) => casesFiles.has(candidate));
    if (folder === undefined) continue;
    const list = byFolder.get(folder) ?? [];
    list.push(outcome);
    byFolder.set(folder, list);
  }
  return byFolder;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a UTF-8 file; an unreadable or non-UTF-8 file is an IngestError about the whole file (line 0). */
async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new IngestError([{ file, line: 0, reason: `cannot read the file: ${describeFsError(error as NodeJS.ErrnoException)}` }]);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new IngestError([{ file, line: 0, reason: 'cannot read the file: not valid UTF-8' }]);
  }
}

function describeFsError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'it does not exist (ENOENT)';
    case 'EACCES':
      return 'permission denied (EACCES)';
    case 'EISDIR':
      return 'it is a directory (EISDIR)';
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message;
  }
}
