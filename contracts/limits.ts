/**
 * How large and which characters each kind of string field may be, as zod building blocks the event schemas
 * (and the HTTP/CLI entry schemas) state their limits with. Lengths are UTF-8 bytes, what PostgreSQL stores.
 *
 * The limits apply where input enters: the event store checks every event against its schema before it is
 * written (withCatalogue), and never when it is read, so events stored before these limits existed still read,
 * upcast and project.
 *
 * Character policy: no string anywhere holds U+0000 (PostgreSQL text and jsonb cannot) or a lone surrogate
 * (it has no UTF-8 encoding); identifiers, names and paths hold no control character (U+0000-U+001F,
 * U+007F-U+009F) either.
 */
import { z } from 'zod';

export const LIMITS = {
  /** Ids: lessonId, changeId, sessionId, ruleSetId, runId, seed, eventIds, metadata source/actor... */
  identifier: 256,
  /** Short names: model, category, tool, keyword, suite, subject, case and rule names. */
  name: 256,
  /** An eval test's name. */
  test: 768,
  /** model + tool format + test of one outcome together: read-model keys and btree index rows (max 2,704 B). */
  outcomeKey: 1024,
  /** Regular expressions of a lesson's match rules. */
  pattern: 1024,
  /** File paths: lesson paths, log and workspace directories. */
  path: 1024,
  /** A lesson's title. */
  title: 512,
  /** Descriptions, reasons, notes, explanations. */
  text: 4096,
  /** A lesson's body (gptme's largest real lesson is ~7.5 kB). */
  body: 65_536,
  /** A JSON object kept verbatim (frontmatter, rule set parameters), serialised. */
  json: 16_384,
} as const;

/** Bytes `s` takes in UTF-8 (a lone surrogate counts as the 3 bytes of its replacement). */
export function utf8Bytes(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /\p{Cc}/u;

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character-policy problem of `s`, or null. `identifierLike`: control characters are refused too. */
export function characterProblem(s: string, identifierLike: boolean): string | null {
  const nul = s.indexOf('\u0000');
  if (nul >= 0) return `must not contain a NUL character (U+0000, at character ${nul})`;
  const lone = LONE_SURROGATE.exec(s);
  if (lone) return `must be well-formed Unicode (lone surrogate ${codePoint(lone[0])} at character ${lone.index})`;
  if (identifierLike) {
    const control = CONTROL.exec(s);
    if (control) return `must not contain control characters (${codePoint(control[0])} at character ${control.index})`;
  }
  return null;
}

/** The length problem of `s` against `maxBytes`, or null. */
export function lengthProblem(s: string, maxBytes: number): string | null {
  if (s.length <= maxBytes / 3) return null;
  const bytes = utf8Bytes(s);
  return bytes > maxBytes ? `must be at most ${maxBytes} bytes of UTF-8 (is ${bytes})` : null;
}

export interface StringPolicy {
  maxBytes: number;
  /** Control characters are refused (identifiers, names, paths); otherwise only NUL and lone surrogates. */
  identifierLike: boolean;
}

/** Every problem of one string under a policy (at most one per kind), for entry points outside zod. */
export function stringProblems(s: string, policy: StringPolicy): string[] {
  return [lengthProblem(s, policy.maxBytes), characterProblem(s, policy.identifierLike)].filter((p): p is string => p !== null);
}

function bounded(schema: z.ZodString, policy: StringPolicy): z.ZodString {
  return schema.superRefine((s, ctx) => {
    for (const message of stringProblems(s, policy)) ctx.addIssue({ code: 'custom', message });
  });
}

/** Any string (empty too) within `maxBytes` and the policy: entry schemas whose emptiness rules are the domain's. */
export function limitedString(maxBytes: number, identifierLike: boolean): z.ZodString {
  return bounded(z.string(), { maxBytes, identifierLike });
}

/**
 * `s` made to fit a policy where refusing is wrong (a git commit's subject and author, which are history):
 * characters the policy refuses are dropped, and the text is cut at a character boundary to `maxBytes`.
 */
export function clampText(s: string, maxBytes: number, identifierLike: boolean): string {
  let out = s.replace(identifierLike ? /[\p{Cc}\p{Cs}]/gu : /[\u0000\p{Cs}]/gu, '');
  if (utf8Bytes(out) <= maxBytes) return out;
  const cut = new TextEncoder().encode(out).subarray(0, maxBytes);
  out = new TextDecoder().decode(cut);
  return out.endsWith('\uFFFD') ? out.slice(0, -1) : out;
}

/** A non-empty identifier, name or path: at most `maxBytes`, no control characters. */
export function identifierString(maxBytes: number = LIMITS.identifier): z.ZodString {
  return bounded(z.string().min(1), { maxBytes, identifierLike: true });
}

/** Free text: at most `maxBytes`, no NUL. `nonEmpty` (default) also refuses ''. */
export function textString(maxBytes: number = LIMITS.text, nonEmpty = true): z.ZodString {
  return bounded(nonEmpty ? z.string().min(1) : z.string(), { maxBytes, identifierLike: false });
}

export const identifier = identifierString(LIMITS.identifier);
export const nameString = identifierString(LIMITS.name);
export const testName = identifierString(LIMITS.test);
export const pathString = identifierString(LIMITS.path);
/** An identifier that may be empty (event metadata: correlation, causation, actor). */
export const identifierOrEmpty = bounded(z.string(), { maxBytes: LIMITS.identifier, identifierLike: true });
/** A path that may be empty (gptme writes empty log and workspace directory cells). */
export const pathOrEmpty = bounded(z.string(), { maxBytes: LIMITS.path, identifierLike: true });
export const patternString = identifierString(LIMITS.pattern);
export const titleString = textString(LIMITS.title);
export const freeText = textString(LIMITS.text);
/** A lesson body: may be empty. */
export const bodyText = textString(LIMITS.body, false);

/**
 * The first string in a JSON value that breaks the free-text policy: a value (path to it) or a key (`key` set,
 * path to the object holding it).
 */
export function firstJsonStringProblem(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; key?: string; message: string } | null {
  if (typeof value === 'string') {
    const problem = characterProblem(value, false);
    return problem ? { path, message: problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstJsonStringProblem(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = characterProblem(key, false);
      if (keyProblem) return { path, key, message: keyProblem };
      const found = firstJsonStringProblem(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** A JSON object kept verbatim: at most `maxBytes` serialised, no NUL or lone surrogate in any key or string. */
export function boundedJsonObject(maxBytes: number = LIMITS.json) {
  return z.record(z.string(), z.json()).superRefine((value, ctx) => {
    const bytes = utf8Bytes(JSON.stringify(value));
    if (bytes > maxBytes) ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes of UTF-8 as JSON (is ${bytes})` });
    const problem = firstJsonStringProblem(value);
    if (problem) {
      const message = problem.key === undefined ? problem.message : `key ${JSON.stringify(problem.key)} ${problem.message}`;
      ctx.addIssue({ code: 'custom', message, path: problem.path });
    }
  });
}

/** The bytes an outcome's key takes: model (as written, with its `@format`), tool format and test name. */
export function outcomeKeyBytes(o: { model: string; rawModel?: string; toolFormat: string | null; test: string }): number {
  return utf8Bytes(o.rawModel ?? o.model) + utf8Bytes(o.toolFormat ?? '') + utf8Bytes(o.test);
}

export function outcomeKeyProblem(o: { model: string; rawModel?: string; toolFormat: string | null; test: string }): string | null {
  const bytes = outcomeKeyBytes(o);
  return bytes > LIMITS.outcomeKey
    ? `model + tool format + test must be at most ${LIMITS.outcomeKey} bytes of UTF-8 together (are ${bytes})`
    : null;
}
