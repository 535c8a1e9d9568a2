/**
 * CSV of API rows for the list commands: one column per field, named as in the API (a nested object's
 * fields as `parent_field`), numbers written as numbers (full precision), null as an empty cell, text cells
 * guarded against spreadsheet formulas (csvCell). Parsing it back gives the API's numbers.
 */
import { csvCell } from '../../eval-read-models/render.js';

type Cell = string | number | boolean | null | undefined;

/** `{a: 1, b: {c: 2}}` as `{a: 1, b_c: 2}`; arrays as JSON text. */
export function flatRow(row: object, prefix = ''): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const [key, value] of Object.entries(row)) {
    const name = `${prefix}${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flatRow(value as object, `${name}_`));
    else out[name] = Array.isArray(value) ? JSON.stringify(value) : (value as Cell);
  }
  return out;
}

/** The columns are the union of the rows' fields, in first-seen order (or `columns` when given). */
export function rowsCsv(rows: readonly object[], columns?: readonly string[]): string {
  const flat = rows.map((r) => flatRow(r));
  const header = columns ? [...columns] : [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const cell = (value: Cell): string => (value === null || value === undefined ? '' : csvCell(typeof value === 'number' ? value : String(value)));
  return [header.map((h) => csvCell(h)).join(','), ...flat.map((r) => header.map((h) => cell(r[h])).join(','))].join('\n') + '\n';
}
