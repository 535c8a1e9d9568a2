import { parse } from 'csv-parse/sync';

/** CSV text with a header row as one record per row, keyed by the header (cells as strings, as written). */
export function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}
