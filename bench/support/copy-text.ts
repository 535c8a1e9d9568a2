/**
 * PostgreSQL COPY text format: tab-separated fields, newline-terminated rows, `\N` for NULL; backslash,
 * tab, newline and carriage return inside a value are backslash-escaped.
 */
export function copyTextField(value: string | number | bigint | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
}

export function copyTextRow(values: (string | number | bigint | null)[]): string {
  return `${values.map(copyTextField).join('\t')}\n`;
}

function escapeChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    default:
      return '\\r';
  }
}
