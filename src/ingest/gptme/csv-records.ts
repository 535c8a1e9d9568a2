import { parse } from 'csv-parse/sync';
import type { IngestIssue } from './ingest-issue.js';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

export type CsvParseResult = { ok: true; header: CsvRecord; rows: CsvRecord[] } | { ok: false; issue: IngestIssue };

/**
 * Splits CSV text into records with their line numbers. Column counts are not checked here (the callers
 * report each bad row). Accepts a UTF-8 BOM, LF or CRLF line ends, and skips blank lines.
 */
export function readCsvRecords(text: string, file: string): CsvParseResult {
  let parsed: { info: { lines: number }; record: string[] }[];
  try {
    parsed = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
      info: true,
    }) as unknown as typeof parsed; // with `info: true` each record comes as { info, record }
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    return { ok: false, issue: { file, line: lines ?? 0, reason: `not valid CSV: ${(error as Error).message}` } };
  }
  const records = parsed.map(({ info, record }) => ({ line: info.lines - newlinesIn(record), fields: record }));
  const [header, ...rows] = records;
  if (!header) return { ok: false, issue: { file, line: 1, reason: 'empty file: no header line' } };
  return { ok: true, header, rows };
}

/** csv-parse reports the line a record ends on; quoted fields may span lines. */
function newlinesIn(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) count++;
  }
  return count;
}
