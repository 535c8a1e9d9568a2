import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Events per measurement. */
  events: number;
  /** Only run measurements whose id contains one of these substrings (empty: all). */
  only: string[];
  /** Run the whole plan this many times and keep each measurement's best round (for a busy machine). */
  rounds: number;
}

/**
 * `--events N` (default 50,000), `--only a,b` (substring filter on measurement ids, for development runs),
 * `--rounds R` (default 1).
 */
export function parseBenchArgs(argv: string[] = process.argv.slice(2), defaultEvents = 50_000): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, only: { type: 'string' }, rounds: { type: 'string' } },
    strict: true,
  });
  const events = values.events === undefined ? defaultEvents : Number(values.events.replace(/_/g, ''));
  if (!Number.isInteger(events) || events <= 0) throw new Error(`--events must be a positive integer, got ${values.events}`);
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const rounds = values.rounds === undefined ? 1 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds <= 0) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  return { events, only, rounds };
}

/** An integer flag: `fallback` when absent, `_` separators allowed, refused below `min`. */
export function integerArg(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${value}`);
  return n;
}

/** A comma-separated list flag (`--only a,b`); empty when absent. */
export function listArg(value: string | undefined): string[] {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}
