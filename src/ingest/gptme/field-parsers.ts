/**
 * Strict parsing of single CSV cells. Each returns the value, or a string saying what is wrong (the caller
 * turns it into an IngestIssue naming the column). `Number()` alone would accept '', ' 1', '0x10', 'Infinity'.
 */
export type Parsed<T> = { value: T } | { error: string };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^\d+$/;
const SCORE = /^(\d+)\/(\d+)$/;

export function parseBoolean(text: string): Parsed<boolean> {
  if (text === 'true') return { value: true };
  if (text === 'false') return { value: false };
  return { error: `must be true or false, got ${quote(text)}` };
}

export function parseNonNegativeNumber(text: string): Parsed<number> {
  if (!DECIMAL.test(text)) return { error: `must be a number, got ${quote(text)}` };
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) return { error: `must be a non-negative number, got ${quote(text)}` };
  return { value };
}

export function parseNonNegativeInteger(text: string): Parsed<number> {
  if (!INTEGER.test(text)) return { error: `must be a non-negative integer, got ${quote(text)}` };
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return { error: `is too large: ${quote(text)}` };
  return { value };
}

export function parseFraction(text: string): Parsed<number> {
  const parsed = parseNonNegativeNumber(text);
  if ('value' in parsed && parsed.value > 1) return { error: `must be between 0 and 1, got ${quote(text)}` };
  return parsed;
}

/** gptme's `Score`: `k/n` checkers passed. */
export function parseScore(text: string): Parsed<{ passed: number; total: number }> {
  const m = SCORE.exec(text);
  if (!m) return { error: `must be k/n (checkers passed / checkers), got ${quote(text)}` };
  const passed = Number(m[1]);
  const total = Number(m[2]);
  if (passed > total) return { error: `passed checkers exceed the total: ${quote(text)}` };
  return { value: { passed, total } };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}
