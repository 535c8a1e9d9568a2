import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Events per measurement. */
  events: number;
  /** Only run measurements whose id contains one of these substrings (empty: all). */
  only: string[];
}

/** `--events N` (default 50,000), `--only a,b` (substring filter on measurement ids, for development runs). */
export function parseBenchArgs(argv: string[] = process.argv.slice(2), defaultEvents = 50_000): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  });
  const events = values.events === undefined ? defaultEvents : Number(values.events.replace(/_/g, ''));
  if (!Number.isInteger(events) || events <= 0) throw new Error(`--events must be a positive integer, got ${values.events}`);
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [];
  return { events, only };
}
