/**
 * Normalising an error line so the same failure reads the same in every run: paths, uuids, hex, numbers and
 * long opaque ids become placeholders; whitespace collapses. Pure. What is left between placeholders is text
 * the log wrote literally, which is where a draft's keywords come from (literalParts).
 */
export const PLACEHOLDERS = ['<path>', '<id>', '<hex>', '<n>'] as const;

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** A path: absolute (`/`, `~/`, `./`, `../`, a drive), or relative with at least two slashes (`a/b/c`); `N/A` is no path. */
const PATH = /(?:(?<![\w.])(?:[A-Za-z]:|~|\.{1,2})?[\\/][\w.@+-]+(?:[\\/][\w.@+-]*)*|\b[\w.@+-]+(?:\/[\w.@+-]+){2,}\/?)/g;
const HEX = /\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi;
/** An identifier-like token mixing letters and at least 3 digits (`run_20260101`, `tmpab12cd34`). */
const OPAQUE_ID = /\b(?=\w*\d\w*\d\w*\d)(?=\w*[A-Za-z])\w{6,}\b/g;
const NUMBER = /[-+]?\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b/gi;

const MAX_KEY_LENGTH = 240;

export function normaliseErrorText(text: string): string {
  return text
    .replace(UUID, '<id>')
    .replace(PATH, '<path>')
    .replace(HEX, '<hex>')
    .replace(OPAQUE_ID, '<id>')
    .replace(NUMBER, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_KEY_LENGTH);
}

/** The literal stretches of a normalised key (between placeholders), trimmed of quotes, brackets and punctuation. */
export function literalParts(key: string): string[] {
  return key
    .split(/<path>|<id>|<hex>|<n>/)
    .map((part) => part.replace(/^[\s'"`:,;()[\]{}=.-]+|[\s'"`:,;()[\]{}=.-]+$/g, ''))
    .filter((part) => part.length > 0);
}

/** The test family: the test name without a trailing variant number (`json-parse-3` -> `json-parse`). */
export function testFamily(test: string): string {
  const family = test.replace(/[-_.]?(?:v)?\d+$/i, '');
  return family === '' ? test : family;
}
