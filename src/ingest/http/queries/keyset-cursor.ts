/**
 * Opaque page cursors for newest-first lists ordered by (time desc, id desc): the last item's time and id,
 * as base64url JSON. Keyset paging stays correct and fast while new rows arrive (no OFFSET).
 */
/** UTC with up to microseconds, as the read-model queries write it (PostgreSQL keeps microseconds). */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** The SQL expression that renders a timestamptz column as a cursor time, without losing microseconds. */
export function cursorTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export interface KeysetCursor {
  /** UTC instant, microsecond precision. */
  time: string;
  id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.time, cursor.id]), 'utf8').toString('base64url');
}

/** null when the text is not a cursor this API produced. */
export function decodeCursor(text: string): KeysetCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [time, id] = value as unknown[];
    if (typeof time !== 'string' || typeof id !== 'string' || !CURSOR_TIME.test(time)) return null;
    return { time, id };
  } catch {
    return null;
  }
}
