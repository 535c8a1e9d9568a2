import type { Durations, TokenUsage, ToolFormat } from '../../../contracts/eval.js';
import { readCsvRecords, type CsvRecord } from './csv-records.js';
import {
  parseBoolean,
  parseFraction,
  parseNonNegativeInteger,
  parseNonNegativeNumber,
  parseScore,
  type Parsed,
} from './field-parsers.js';
import { detectEvalResultsHeader, EVAL_RESULTS_HEADERS, type EvalResultsColumn, type EvalResultsHeaderVariant } from './headers.js';
import { IngestError, type IngestIssue } from './ingest-issue.js';
import { isToolFormat, splitModelFormat } from './model-format.js';
import { withoutUndefined } from '../without-undefined.js';

/** One row of an `eval_results.csv`, checked and typed; the fields a TestOutcomeRecorded takes from the file. */
export interface EvalResultRow {
  line: number;
  /** The `Model` cell exactly as written. */
  rawModel: string;
  model: string;
  toolFormat: ToolFormat | null;
  test: string;
  passed: boolean;
  score?: { passed: number; total: number };
  toolCalls?: number;
  steps?: number;
  tokens?: TokenUsage;
  cacheHitRate?: number;
  costUsd?: number;
  durations: Durations;
  harnessCommit?: string;
  logDir?: string;
  workspaceDir?: string;
}

export interface ParsedEvalResults {
  headerVariant: EvalResultsHeaderVariant;
  rows: EvalResultRow[];
}

/** Stop collecting after this many issues: a file that is wrong everywhere needs one look, not 10,000 lines. */
const MAX_ISSUES = 50;

/** Parses a whole `eval_results.csv`; throws IngestError listing every problem (`file:line: reason`). */
export function parseEvalResultsCsv(text: string, file: string): ParsedEvalResults {
  const records = readCsvRecords(text, file);
  if (!records.ok) throw new IngestError([records.issue]);
  const headerVariant = detectEvalResultsHeader(records.header.fields);
  if (!headerVariant) {
    throw new IngestError([
      { file, line: records.header.line, reason: `unknown eval_results.csv header: ${records.header.fields.join(',')}` },
    ]);
  }
  const columns: readonly string[] = EVAL_RESULTS_HEADERS[headerVariant];
  const columnIndex = new Map(columns.map((name, i) => [name, i]));
  const issues: IngestIssue[] = [];
  const rows: EvalResultRow[] = [];
  for (const record of records.rows) {
    if (issues.length >= MAX_ISSUES) {
      issues.push({ file, line: record.line, reason: `more problems after this line not listed (stopped at ${MAX_ISSUES})` });
      break;
    }
    if (record.fields.length !== columns.length) {
      issues.push({
        file,
        line: record.line,
        reason: `expected ${columns.length} columns (header "${headerVariant}"), got ${record.fields.length}`,
      });
      continue;
    }
    const row = parseRow(record, columnIndex, file, issues);
    if (row) rows.push(row);
  }
  if (issues.length > 0) throw new IngestError(issues);
  return { headerVariant, rows };
}

function parseRow(
  record: CsvRecord,
  columnIndex: ReadonlyMap<string, number>,
  file: string,
  issues: IngestIssue[],
): EvalResultRow | undefined {
  const issuesBefore = issues.length;
  const line = record.line;
  const cell = (column: EvalResultsColumn): string | undefined => {
    const index = columnIndex.get(column);
    return index === undefined ? undefined : record.fields[index];
  };
  const report = (column: EvalResultsColumn, reason: string) => issues.push({ file, line, field: column, reason: `${column} ${reason}` });
  const required = <T>(column: EvalResultsColumn, parser: (text: string) => Parsed<T>): T | undefined => {
    const text = cell(column) ?? '';
    if (text === '') return void report(column, 'is empty');
    const parsed = parser(text);
    if ('error' in parsed) return void report(column, parsed.error);
    return parsed.value;
  };
  /** Absent column or empty cell: undefined. */
  const optional = <T>(column: EvalResultsColumn, parser: (text: string) => Parsed<T>): T | undefined => {
    const text = cell(column);
    return text === undefined || text === '' ? undefined : required(column, parser);
  };
  const text = (column: EvalResultsColumn): string | undefined => {
    const value = cell(column);
    return value === undefined || value === '' ? undefined : value;
  };

  const rawModel = required('Model', (t) => ({ value: t }));
  const test = required('Test', (t) => ({ value: t }));
  const passed = required('Passed', parseBoolean);
  const toolFormatColumn = optional('Tool Format', (t): Parsed<ToolFormat> =>
    isToolFormat(t) ? { value: t } : { error: `must be markdown, xml, tool or empty, got ${JSON.stringify(t)}` },
  );
  const durations = {
    total: required('Total Duration', parseNonNegativeNumber),
    generation: required('Generation Time', parseNonNegativeNumber),
    run: required('Run Time', parseNonNegativeNumber),
    eval: required('Eval Time', parseNonNegativeNumber),
  };
  const tokens = parseTokens(cell, report);
  const row = {
    score: optional('Score', parseScore),
    toolCalls: optional('Tool Calls', parseNonNegativeInteger),
    steps: optional('Num Steps', parseNonNegativeInteger),
    tokens,
    cacheHitRate: optional('Cache Hit Rate', parseFraction),
    costUsd: optional('Cost USD', parseNonNegativeNumber),
    harnessCommit: text('Commit Hash'),
    logDir: text('Log Dir'),
    workspaceDir: text('Workspace Dir'),
  };
  if (issues.length > issuesBefore) return undefined;
  const { model, toolFormat } = splitModelFormat(rawModel!, toolFormatColumn ?? null);
  return withoutUndefined({
    line,
    rawModel: rawModel!,
    model,
    toolFormat,
    test: test!,
    passed: passed!,
    ...row,
    durations: durations as Durations,
  });
}

const TOKEN_COLUMNS = [
  ['input', 'Tokens Input'],
  ['output', 'Tokens Output'],
  ['total', 'Tokens Total'],
  ['cacheRead', 'Cache Read Tokens'],
  ['cacheCreation', 'Cache Creation Tokens'],
] as const satisfies readonly (readonly [keyof TokenUsage, EvalResultsColumn])[];

/** The five token cells are all present or all empty. */
function parseTokens(
  cell: (column: EvalResultsColumn) => string | undefined,
  report: (column: EvalResultsColumn, reason: string) => void,
): TokenUsage | undefined {
  const cells = TOKEN_COLUMNS.map(([key, column]) => ({ key, column, text: cell(column) }));
  if (cells.every((c) => c.text === undefined || c.text === '')) return undefined;
  const tokens: Partial<TokenUsage> = {};
  for (const { key, column, text } of cells) {
    const parsed = parseNonNegativeInteger(text ?? '');
    if ('error' in parsed) report(column, text ? parsed.error : 'is empty while other token columns are filled');
    else tokens[key] = parsed.value;
  }
  return tokens as TokenUsage;
}
