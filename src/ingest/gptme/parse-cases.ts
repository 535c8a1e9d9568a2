import type { EvalCase } from '../../../contracts/eval.js';
import { readCsvRecords } from './csv-records.js';
import { parseBoolean, parseNonNegativeNumber } from './field-parsers.js';
import { CASES_HEADERS, detectCasesHeader } from './headers.js';
import { IngestError, type IngestIssue } from './ingest-issue.js';
import { LIMITS, stringProblems } from '../../../contracts/limits.js';

/** Parses a `cases.csv` (one row per checker of one test); throws IngestError listing every problem. */
export function parseCasesCsv(text: string, file: string): EvalCase[] {
  const records = readCsvRecords(text, file);
  if (!records.ok) throw new IngestError([records.issue]);
  const variant = detectCasesHeader(records.header.fields);
  if (!variant) {
    throw new IngestError([
      { file, line: records.header.line, reason: `unknown cases.csv header: ${records.header.fields.join(',')}` },
    ]);
  }
  const columns: readonly string[] = CASES_HEADERS[variant];
  const at = (name: string) => columns.indexOf(name);
  const issues: IngestIssue[] = [];
  const cases: EvalCase[] = [];
  for (const { line, fields } of records.rows) {
    if (fields.length !== columns.length) {
      issues.push({ file, line, reason: `expected ${columns.length} columns, got ${fields.length}` });
      continue;
    }
    const name = fields[at('Case')]!;
    const passed = parseBoolean(fields[at('Passed')]!);
    const duration = parseNonNegativeNumber(fields[at('Duration')]!);
    if (name === '') issues.push({ file, line, field: 'Case', reason: 'Case is empty' });
    const nameProblems = stringProblems(name, { maxBytes: LIMITS.name, identifierLike: true });
    for (const problem of nameProblems) issues.push({ file, line, field: 'Case', reason: `Case ${problem}` });
    if ('error' in passed) issues.push({ file, line, field: 'Passed', reason: `Passed ${passed.error}` });
    if ('error' in duration) issues.push({ file, line, field: 'Duration', reason: `Duration ${duration.error}` });
    if (name !== '' && nameProblems.length === 0 && 'value' in passed && 'value' in duration) {
      cases.push({ name, passed: passed.value, durationS: duration.value });
    }
  }
  if (issues.length > 0) throw new IngestError(issues);
  return cases;
}
