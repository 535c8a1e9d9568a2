/**
 * fast-check generators for the input limits (contracts/limits.ts): a string field's value that breaks exactly
 * one rule of its policy (too long, NUL, a control character, a lone surrogate, not a string), and valid values.
 */
import fc from 'fast-check';
import type { StringPolicy } from '../../../contracts/limits.js';

/** Fixed seed so CI runs the same cases every time; the count of cases per route. */
export const SEED = 20261207;
export const CASES = 200;
export const VALID_CASES = 8;

export type Violation = { kind: string; value: unknown };

const fill = ['a', 'é', '漢', '😀'];

/** A value 1-64 bytes over `maxBytes` made of one 1-4 byte character. */
export function tooLong(maxBytes: number): fc.Arbitrary<Violation> {
  return fc.tuple(fc.integer({ min: 1, max: 64 }), fc.constantFrom(...fill)).map(([extra, ch]) => {
    const bytes = Buffer.byteLength(ch);
    return { kind: 'too long', value: ch.repeat(Math.ceil((maxBytes + extra) / bytes)) };
  });
}

const word = fc.string({ unit: fc.constantFrom(...'abcxyz019'.split('')), minLength: 1, maxLength: 8 });

export const nul: fc.Arbitrary<Violation> = fc.tuple(word, word).map(([a, b]) => ({ kind: 'NUL', value: `${a}\u0000${b}` }));
export const loneSurrogate: fc.Arbitrary<Violation> = fc
  .tuple(word, fc.integer({ min: 0xd800, max: 0xdfff }))
  .map(([a, c]) => ({ kind: 'lone surrogate', value: `${a}${String.fromCharCode(c)}` }));
/** Control characters other than NUL (C0, DEL, C1). */
export const control: fc.Arbitrary<Violation> = fc
  .tuple(word, fc.oneof(fc.integer({ min: 1, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })), word)
  .map(([a, c, b]) => ({ kind: 'control character', value: `${a}${String.fromCharCode(c)}${b}` }));
export const wrongType: fc.Arbitrary<Violation> = fc.constantFrom<unknown>(42, true, { a: 1 }).map((value) => ({ kind: 'wrong type', value }));

/**
 * Every way a value can break `policy`. `typed` false for text that arrives as UTF-8 bytes (CSV cells, files,
 * query strings): it has no types, and a lone surrogate cannot be written in it (it arrives as U+FFFD).
 */
export function violationsOf(policy: StringPolicy, typed = true): fc.Arbitrary<Violation> {
  const all = [tooLong(policy.maxBytes), nul, ...(typed ? [loneSurrogate, wrongType] : []), ...(policy.identifierLike ? [control] : [])];
  return fc.oneof(...all);
}

/** Valid names: letters, digits, a few separators, some multi-byte characters; never starts with a separator. */
export const validName: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...'abcdefgXYZ0123'.split('')),
    fc.string({ unit: fc.constantFrom(...'abcdefgXYZ0123-_./ é漢😀'.split(/(?:)/u)), maxLength: 40 }),
  )
  .map(([first, rest]) => `${first}${rest}`.trimEnd());

/** A payload with one field replaced: `path` is dotted (`outcomes.0.test`, `match.keywords.0`). */
export function withField<T>(base: T, path: string, value: unknown): T {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  keys.slice(0, -1).forEach((key, i) => {
    if (at[key] === undefined) at[key] = /^\d+$/.test(keys[i + 1]!) ? [] : {};
    at = at[key] as Record<string, unknown>;
  });
  at[keys[keys.length - 1]!] = value;
  return copy as T;
}

/** The problems of a 400 answer name `field` (a problem whose field path ends with its last segment). */
export function namesField(body: unknown, field: string): boolean {
  const named = (f: string) => f.split('.').filter((k) => !/^\d+$/.test(k));
  const leaf = named(field).pop()!;
  const problems = (body as { problems?: Array<{ field?: unknown }> }).problems ?? [];
  return problems.some((p) => typeof p.field === 'string' && named(p.field).pop() === leaf);
}
