/**
 * JSON request bodies read strictly: bytes that are not UTF-8, a key given twice in one object (JSON.parse
 * would keep the last silently) and strings the store cannot hold (U+0000, lone surrogates) are refused, each
 * naming where in the body it is. Every JSON route gets this in one place, before its own schema runs.
 */
import { firstJsonStringProblem } from '../../contracts/limits.js';

export interface JsonBodyProblem {
  /** Dotted path inside the body (`outcomes.3.test`); null for the body as a whole. */
  field: string | null;
  reason: string;
}

export type StrictJson = { ok: true; value: unknown } | { ok: false; syntax?: true; problem: JsonBodyProblem };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function parseStrictJson(body: Buffer): StrictJson {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return { ok: false, problem: { field: null, reason: 'the body is not valid UTF-8' } };
  }
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, syntax: true, problem: { field: null, reason: `The body is not valid JSON: ${(error as Error).message}` } };
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate) return { ok: false, problem: duplicate };
  const bad = firstBadString(value);
  return bad ? { ok: false, problem: bad } : { ok: true, value };
}

function dotted(path: readonly (string | number)[]): string | null {
  return path.length === 0 ? null : path.join('.');
}

interface Frame {
  /** Keys seen so far; null for an array. */
  keys: Set<string> | null;
  /** The key or index of the value being read in this container. */
  at: string | number;
}

/**
 * Walks text that JSON.parse has accepted, so it only tells strings, containers and separators apart. A string
 * is a key when the next non-space character is `:`.
 */
function firstDuplicateKey(text: string): JsonBodyProblem | null {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      const top = stack[stack.length - 1];
      if (top?.keys) {
        let j = i + 1;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        if (text[j] === ':') {
          const raw = text.slice(start, i + 1);
          const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
          if (top.keys.has(key)) {
            const parent = stack.slice(0, -1).map((f) => f.at);
            return { field: dotted([...parent, key]), reason: `appears twice in ${parent.length === 0 ? 'the body' : `the object ${dotted(parent)}`}` };
          }
          top.keys.add(key);
          top.at = key;
        }
      }
    } else if (c === 0x7b /* { */) stack.push({ keys: new Set(), at: '' });
    else if (c === 0x5b /* [ */) stack.push({ keys: null, at: 0 });
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top && top.keys === null) top.at = (top.at as number) + 1;
    }
  }
  return null;
}

function firstBadString(value: unknown): JsonBodyProblem | null {
  const problem = firstJsonStringProblem(value);
  if (!problem) return null;
  if (problem.key === undefined) return { field: dotted(problem.path), reason: problem.message };
  return { field: dotted([...problem.path, problem.key]), reason: `the key ${problem.message}` };
}
