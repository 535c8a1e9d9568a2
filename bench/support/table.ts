export type Align = 'left' | 'right';

export interface Column<Row> {
  header: string;
  align?: Align;
  cell(row: Row): string;
}

/** A GitHub markdown table, padded so it also reads well in a terminal. */
export function markdownTable<Row>(columns: Column<Row>[], rows: Row[]): string {
  const cells = rows.map((row) => columns.map((c) => c.cell(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, 3, ...cells.map((r) => r[i]!.length)));
  const pad = (text: string, i: number) =>
    columns[i]!.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const line = (parts: string[]) => `| ${parts.join(' | ')} |`;
  const rule = columns.map((c, i) => (c.align === 'right' ? `${'-'.repeat(widths[i]! - 1)}:` : '-'.repeat(widths[i]!)));
  return [line(columns.map((c, i) => pad(c.header, i))), line(rule), ...cells.map((r) => line(r.map(pad)))].join('\n');
}

/** 12345.6 -> "12,346". */
export function formatInteger(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatFixed(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
