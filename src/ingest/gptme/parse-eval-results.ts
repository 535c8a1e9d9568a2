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
import { LIMITS, outcomeKeyBytes, stringProblems, type StringPolicy } from '../../../contracts/limits.js';

/** The text cells' limits (contracts/limits.ts): refused at the line with the column's name and the limit. */
const CELL_POLICIES: Partial<Record<EvalResultsColumn, StringPolicy>> = {
  Model: { maxBytes: LIMITS.name, identifierLike: true },
  Test: { maxBytes: LIMITS.test, identifierLike: true },
  'Commit Hash': { maxBytes: LIMITS.identifier, identifierLike: true },
  'Log Dir': { maxBytes: LIMITS.path, identifierLike: true },
  'Workspace Dir': { maxBytes: LIMITS.path, identifierLike: true },
};

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
  const issues: IngestIssue[] = [];
  const reader = new RowReader(columns, file, issues);
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
    const row = parseRow(record, reader, issues);
    if (row) rows.push(row);
  }
  if (issues.length > 0) throw new IngestError(issues);
  return { headerVariant, rows };
}

/**
 * Reads the cells of one row after another (one instance per file, so a million rows allocate no closures).
 * Problems go to `issues`; a getter returns undefined for a bad cell and parsing goes on to report the rest.
 */
class RowReader {
  private fields: string[] = [];
  private line = 0;
  private readonly index: Partial<Record<EvalResultsColumn, number>>;

  constructor(
    columns: readonly string[],
    private readonly file: string,
    private readonly issues: IngestIssue[],
  ) {
    this.index = Object.fromEntries(columns.map((name, i) => [name, i]));
  }

  at(record: CsvRecord): void {
    this.fields = record.fields;
    this.line = record.line;
  }

  /** undefined when the header has no such column. */
  cell(column: EvalResultsColumn): string | undefined {
    const i = this.index[column];
    return i === undefined ? undefined : this.fields[i];
  }

  report(column: EvalResultsColumn, reason: string): void {
    this.issues.push({ file: this.file, line: this.line, field: column, reason: `${column} ${reason}` });
  }

  required<T>(column: EvalResultsColumn, parser: (text: string) => Parsed<T>): T | undefined {
    const text = this.cell(column) ?? '';
    if (text === '') return void this.report(column, 'is empty');
    const parsed = parser(text);
    if ('error' in parsed) return void this.report(column, parsed.error);
    return parsed.value;
  }

  /** Absent column or empty cell: undefined. */
  optional<T>(column: EvalResultsColumn, parser: (text: string) => Parsed<T>): T | undefined {
    const text = this.cell(column);
    return text === undefined || text === '' ? undefined : this.required(column, parser);
  }

  /** Absent column or empty cell: undefined; any other text as it is, if within the column's limits. */
  text(column: EvalResultsColumn): string | undefined {
    const value = this.cell(column);
    return value === undefined || value === '' ? undefined : this.withinLimits(column, value);
  }

  nonEmpty(column: EvalResultsColumn): string | undefined {
    const value = this.cell(column) ?? '';
    if (value === '') this.report(column, 'is empty');
    return value === '' ? undefined : this.withinLimits(column, value);
  }

  private withinLimits(column: EvalResultsColumn, value: string): string | undefined {
    const policy = CELL_POLICIES[column];
    const problems = policy ? stringProblems(value, policy) : [];
    for (const problem of problems) this.report(column, problem);
    return problems.length > 0 ? undefined : value;
  }
}

const parseToolFormat = (t: string): Parsed<ToolFormat> =>
  isToolFormat(t) ? { value: t } : { error: `must be markdown, xml, tool or empty, got ${JSON.stringify(t)}` };

function parseRow(record: CsvRecord, reader: RowReader, issues: IngestIssue[]): EvalResultRow | undefined {
  const issuesBefore = issues.length;
  reader.at(record);
  const rawModel = reader.nonEmpty('Model');
  const test = reader.nonEmpty('Test');
  const passed = reader.required('Passed', parseBoolean);
  const toolFormatColumn = reader.optional('Tool Format', parseToolFormat);
  const durations = {
    total: reader.required('Total Duration', parseNonNegativeNumber),
    generation: reader.required('Generation Time', parseNonNegativeNumber),
    run: reader.required('Run Time', parseNonNegativeNumber),
    eval: reader.required('Eval Time', parseNonNegativeNumber),
  };
  const tokens = parseTokens(reader);
  const measurements = {
    score: reader.optional('Score', parseScore),
    toolCalls: reader.optional('Tool Calls', parseNonNegativeInteger),
    steps: reader.optional('Num Steps', parseNonNegativeInteger),
    tokens,
    cacheHitRate: reader.optional('Cache Hit Rate', parseFraction),
    costUsd: reader.optional('Cost USD', parseNonNegativeNumber),
    harnessCommit: reader.text('Commit Hash'),
    logDir: reader.text('Log Dir'),
    workspaceDir: reader.text('Workspace Dir'),
  };
  if (issues.length > issuesBefore) return undefined;
  const { model, toolFormat } = splitModelFormat(rawModel!, toolFormatColumn ?? null);
  const keyBytes = outcomeKeyBytes({ model, rawModel: rawModel!, toolFormat, test: test! });
  if (keyBytes > LIMITS.outcomeKey) {
    return void reader.report('Test', `with Model and Tool Format must be at most ${LIMITS.outcomeKey} bytes of UTF-8 together (are ${keyBytes})`);
  }
  return withoutUndefined({
    line: record.line,
    rawModel: rawModel!,
    model,
    toolFormat,
    test: test!,
    passed: passed!,
    ...measurements,
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
function parseTokens(reader: RowReader): TokenUsage | undefined {
  if (TOKEN_COLUMNS.every(([, column]) => !reader.cell(column))) return undefined;
  const tokens: Partial<TokenUsage> = {};
  for (const [key, column] of TOKEN_COLUMNS) {
    const text = reader.cell(column) ?? '';
    const parsed = parseNonNegativeInteger(text);
    if ('error' in parsed) reader.report(column, text ? parsed.error : 'is empty while other token columns are filled');
    else tokens[key] = parsed.value;
  }
  return tokens as TokenUsage;
}
