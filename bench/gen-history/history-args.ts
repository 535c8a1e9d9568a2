/**
 * The arguments of `npm run gen:history`: a synthetic history's shape, `--planted` (the planted-effects world), or
 * `--sessions-gptme` (the planted sessions world as gptme files: eval_results, logs, lessons, manifests).
 */
import { parseArgs } from 'node:util';
import { integerArg } from '../support/args.js';
import { DEFAULT_PLANTED_WORLD } from './planted-defaults.js';
import { DEFAULT_HISTORY, type HistoryOptions } from './write-history.js';

export type GenHistoryArgs =
  | { planted: false; sessionsGptme?: false; history: HistoryOptions }
  | { planted: true; sessionsGptme?: boolean; out: string; seed: number };

export function parseHistoryArgs(argv: string[]): GenHistoryArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: 'string' },
      tests: { type: 'string' },
      days: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      'models-per-run': { type: 'string' },
      planted: { type: 'boolean' },
      'sessions-gptme': { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.out) throw new Error('--out <dir> is required');
  if (values.planted || values['sessions-gptme']) {
    const shaped = (['models', 'tests', 'days', 'models-per-run'] as const).filter((name) => values[name] !== undefined);
    if (shaped.length > 0) throw new Error(`--planted has its own shape; ${shaped.map((n) => `--${n}`).join(', ')} does not apply`);
    return { planted: true, ...(values['sessions-gptme'] ? { sessionsGptme: true } : {}), out: values.out, seed: integerArg('seed', values.seed, DEFAULT_PLANTED_WORLD.seed, 0) };
  }
  return { planted: false, history: {
    ...DEFAULT_HISTORY,
    out: values.out,
    models: integerArg('models', values.models, DEFAULT_HISTORY.models),
    tests: integerArg('tests', values.tests, DEFAULT_HISTORY.tests),
    days: integerArg('days', values.days, DEFAULT_HISTORY.days),
    seed: integerArg('seed', values.seed, DEFAULT_HISTORY.seed, 0),
    modelsPerRun: integerArg('models-per-run', values['models-per-run'], DEFAULT_HISTORY.modelsPerRun),
  } };
}
