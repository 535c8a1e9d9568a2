/** How column values order and default, the way PostgreSQL stores them. Pure. */
import { NUMERIC_COLUMN_TYPES, type ColumnType, type RowValue } from './read-model-changes.js';

/** Orders two non-null values of a column the way PostgreSQL orders them (text: by code point, as C). */
export function compareColumnValues(type: ColumnType, a: RowValue, b: RowValue): number {
  if (type === 'timestamptz' && typeof a === 'string' && typeof b === 'string' && isUtcIso(a) && isUtcIso(b) && a.length === b.length) {
    return a < b ? -1 : a > b ? 1 : 0; // same-shape UTC ISO strings order like the instants they name
  }
  const x = comparable(type, a);
  const y = comparable(type, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isUtcIso(value: string): boolean {
  return value.length >= 20 && value.charCodeAt(10) === 84 /* T */ && value.charCodeAt(value.length - 1) === 90 /* Z */ && value.charCodeAt(4) === 45;
}

function comparable(type: ColumnType, value: RowValue): number | bigint | string {
  switch (type) {
    case 'timestamptz':
      return value instanceof Date ? value.getTime() : Date.parse(String(value));
    case 'int8':
      return typeof value === 'bigint' ? value : BigInt(String(value));
    case 'int4':
    case 'float8':
    case 'numeric':
      return Number(value);
    case 'bool':
      return value === true || value === 'true' || value === 't' ? 1 : 0;
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** The value a new row has in a column nobody set. */
export function defaultValue(type: ColumnType): RowValue {
  return NUMERIC_COLUMN_TYPES.includes(type) ? 0 : null;
}
