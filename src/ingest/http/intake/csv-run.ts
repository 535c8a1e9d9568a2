import { LIMITS, stringProblems } from '../../../../contracts/limits.js';
import { gptmeCsvSource } from '../../gptme/read-run-folder.js';
import { IngestError } from '../../gptme/ingest-issue.js';
import { parseEvalResultsCsv } from '../../gptme/parse-eval-results.js';
import { runTimeFromFolderName } from '../../gptme/run-folder.js';
import { withoutUndefined } from '../../without-undefined.js';
import { runIdSchema, startedAtSchema } from '../dto/eval-run-body.schema.js';
import type { RunIntake } from './json-run.js';
import type { RunProblem } from './run-problem.js';

/** The run facts a CSV body does not carry; sent as query parameters. */
export interface CsvRunParams {
  runId?: string;
  /** Optional when runId is a gptme folder name (`YYYYMMDD_HHMMSSZ`, UTC). */
  startedAt?: string;
  suite?: string;
  /** Default `gptme-csv:<runId>`, what `lessonloop import results` writes, so both paths record the same run. */
  source?: string;
}

export const CSV_FILE_LABEL = 'eval_results.csv';

/** An `eval_results.csv` body -> the importer's run input, parsed by the importer's own CSV parser. */
export function evalRunFromCsv(text: string, params: CsvRunParams): RunIntake {
  const problems: RunProblem[] = [];
  const runId = runIdSchema.safeParse(params.runId ?? '');
  if (!runId.success) problems.push({ row: null, field: 'runId', reason: params.runId ? runId.error.issues[0]!.message : 'is required (query parameter runId)' });
  let startedAt = params.startedAt;
  if (startedAt === undefined && runId.success) startedAt = runTimeFromFolderName(runId.data) ?? undefined;
  if (startedAt === undefined) {
    problems.push({ row: null, field: 'startedAt', reason: 'is required (query parameter startedAt) unless runId is a YYYYMMDD_HHMMSSZ folder name' });
  } else if (!startedAtSchema.safeParse(startedAt).success) {
    problems.push({ row: null, field: 'startedAt', reason: 'must be an ISO-8601 instant with Z or an offset' });
  }
  for (const field of ['suite', 'source'] as const) {
    const value = params[field];
    if (value === '') problems.push({ row: null, field, reason: 'must not be empty' });
    else if (value !== undefined) {
      const policy = { maxBytes: field === 'suite' ? LIMITS.name : LIMITS.identifier, identifierLike: true };
      for (const reason of stringProblems(value, policy)) problems.push({ row: null, field, reason });
    }
  }

  let rows: ReturnType<typeof parseEvalResultsCsv>['rows'] = [];
  try {
    rows = parseEvalResultsCsv(text, CSV_FILE_LABEL).rows;
    if (rows.length === 0) problems.push({ row: null, field: null, reason: 'the file has a header but no rows' });
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
    problems.push(...error.issues.map((i) => ({ row: i.line === 0 ? null : i.line, field: i.field ?? null, reason: i.reason })));
  }
  if (problems.length > 0) return { ok: false, problems };
  const id = runId.data!;
  return {
    ok: true,
    run: withoutUndefined({ runId: id, startedAt: startedAt!, suite: params.suite, source: params.source ?? gptmeCsvSource(id), outcomes: rows }),
    rowOfOutcome: (index) => rows[index]!.line,
  };
}
