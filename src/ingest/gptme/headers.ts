/**
 * Every `eval_results.csv` header gptme has written, oldest first. A file whose header is not exactly one of
 * these is rejected: a new column would otherwise be dropped without anyone noticing.
 */
const DURATIONS = ['Total Duration', 'Generation Time', 'Run Time', 'Eval Time', 'Commit Hash'] as const;
const DIRS = ['Log Dir', 'Workspace Dir'] as const;

export const EVAL_RESULTS_HEADERS = {
  /** 2024-09: paths of the captured stdout/stderr files. */
  'stdout-files': ['Model', 'Test', 'Passed', ...DURATIONS, 'Gen Stdout File', 'Gen Stderr File', 'Run Stdout File', 'Run Stderr File'],
  /** 2024-10 to 2025-09. */
  basic: ['Model', 'Test', 'Passed', ...DURATIONS],
  /** 2025-09: log and workspace directories. */
  'log-dirs': ['Model', 'Test', 'Passed', ...DURATIONS, ...DIRS],
  /** 2026-02: the tool format gets its own column instead of `model@format`. */
  'tool-format': ['Model', 'Tool Format', 'Test', 'Passed', ...DURATIONS, ...DIRS],
  /** 2026-05: `Score` = checkers passed `k/n`. */
  score: ['Model', 'Tool Format', 'Test', 'Passed', 'Score', ...DURATIONS, ...DIRS],
  /** 2026-06: `Tool Calls`. */
  'tool-calls': ['Model', 'Tool Format', 'Test', 'Passed', 'Score', 'Tool Calls', ...DURATIONS, ...DIRS],
  /** 2026-07 onwards (current): steps, tokens, cache and cost. */
  current: [
    'Model', 'Tool Format', 'Test', 'Passed', 'Score', 'Tool Calls', 'Num Steps',
    'Tokens Input', 'Tokens Output', 'Tokens Total', 'Cache Read Tokens', 'Cache Creation Tokens', 'Cache Hit Rate',
    'Cost USD', ...DURATIONS, ...DIRS,
  ],
} as const satisfies Record<string, readonly string[]>;

export type EvalResultsHeaderVariant = keyof typeof EVAL_RESULTS_HEADERS;
export type EvalResultsColumn = (typeof EVAL_RESULTS_HEADERS)[EvalResultsHeaderVariant][number];

export const CURRENT_EVAL_RESULTS_HEADER = EVAL_RESULTS_HEADERS.current;

export function detectEvalResultsHeader(columns: readonly string[]): EvalResultsHeaderVariant | undefined {
  for (const [variant, expected] of Object.entries(EVAL_RESULTS_HEADERS) as [EvalResultsHeaderVariant, readonly string[]][]) {
    if (expected.length === columns.length && expected.every((name, i) => columns[i] === name)) return variant;
  }
  return undefined;
}

/** The three `cases.csv` headers (per-checker results). `Model`/`Test`/`Code` are ignored: the folder says which. */
export const CASES_HEADERS = {
  'with-code': ['Model', 'Test', 'Case', 'Passed', 'Code', 'Duration'],
  'with-model': ['Model', 'Test', 'Case', 'Passed', 'Duration'],
  current: ['Case', 'Passed', 'Duration'],
} as const satisfies Record<string, readonly string[]>;

export type CasesHeaderVariant = keyof typeof CASES_HEADERS;

export function detectCasesHeader(columns: readonly string[]): CasesHeaderVariant | undefined {
  for (const [variant, expected] of Object.entries(CASES_HEADERS) as [CasesHeaderVariant, readonly string[]][]) {
    if (expected.length === columns.length && expected.every((name, i) => columns[i] === name)) return variant;
  }
  return undefined;
}
