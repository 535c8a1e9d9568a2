import { DEFAULT_HISTORY } from '../gen-history/write-history.js';
import type { HistoryShape } from '../ingest/history-cache.js';
import { integerArg } from './args.js';

/** The `parseArgs` options naming a generated history's shape: `--models --tests --days --seed`. */
export const HISTORY_SHAPE_OPTIONS = {
  models: { type: 'string' },
  tests: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
} as const;

/** The shape those options give, with the generator's defaults for what is absent. */
export function historyShapeArg(values: Partial<Record<keyof typeof HISTORY_SHAPE_OPTIONS, string>>): HistoryShape {
  return {
    models: integerArg('models', values.models, DEFAULT_HISTORY.models),
    tests: integerArg('tests', values.tests, DEFAULT_HISTORY.tests),
    days: integerArg('days', values.days, DEFAULT_HISTORY.days),
    seed: integerArg('seed', values.seed, DEFAULT_HISTORY.seed, 0),
  };
}
