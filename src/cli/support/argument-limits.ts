/**
 * The limits of contracts/limits.ts for command-line arguments: an argument that becomes event data (or a key
 * a command looks up) is checked before the command opens the store, so a refused one leaves nothing written.
 */
import { LIMITS, stringProblems, type StringPolicy } from '../../../contracts/limits.js';
import { CliError } from './known-errors.js';

export const ARGUMENT_POLICIES = {
  identifier: { maxBytes: LIMITS.identifier, identifierLike: true },
  name: { maxBytes: LIMITS.name, identifierLike: true },
  path: { maxBytes: LIMITS.path, identifierLike: true },
  text: { maxBytes: LIMITS.text, identifierLike: false },
  json: { maxBytes: LIMITS.json, identifierLike: false },
} as const satisfies Record<string, StringPolicy>;

export type ArgumentKind = keyof typeof ARGUMENT_POLICIES;

/**
 * Throws a usage error (exit code 2) naming the argument and the limit for the first value (of one argument,
 * or each of a list) that breaks its kind's policy; an absent optional argument passes.
 */
export function checkArgument(label: string, value: string | readonly string[] | undefined, kind: ArgumentKind): void {
  if (value === undefined) return;
  const values = typeof value === 'string' ? [value] : value;
  for (const item of values) {
    const [problem] = stringProblems(item, ARGUMENT_POLICIES[kind]);
    if (problem) throw new CliError(`${label} ${problem}; nothing was written`, 2);
  }
}

/** Several arguments at once, in the order given: `[label, value, kind]`. */
export function checkArguments(checks: ReadonlyArray<readonly [string, string | readonly string[] | undefined, ArgumentKind]>): void {
  for (const [label, value, kind] of checks) checkArgument(label, value, kind);
}
