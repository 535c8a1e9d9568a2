/**
 * `npm run gen:history -- --models 40 --tests 99 --days 365 --out <dir> [--seed N] [--models-per-run 8]`
 * writes a realistic gptme `eval_results/` tree (current header). The same arguments give the same files.
 */
import { parseArgs } from 'node:util';
import { integerArg } from '../support/args.js';
import { DEFAULT_HISTORY, writeHistory, type HistoryOptions } from './write-history.js';

function parseHistoryArgs(argv: string[]): HistoryOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: 'string' },
      tests: { type: 'string' },
      days: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      'models-per-run': { type: 'string' },
    },
    strict: true,
  });
  if (!values.out) throw new Error('--out <dir> is required');
  return {
    ...DEFAULT_HISTORY,
    out: values.out,
    models: integerArg('models', values.models, DEFAULT_HISTORY.models),
    tests: integerArg('tests', values.tests, DEFAULT_HISTORY.tests),
    days: integerArg('days', values.days, DEFAULT_HISTORY.days),
    seed: integerArg('seed', values.seed, DEFAULT_HISTORY.seed, 0),
    modelsPerRun: integerArg('models-per-run', values['models-per-run'], DEFAULT_HISTORY.modelsPerRun),
  };
}

async function main(): Promise<void> {
  let options: HistoryOptions;
  try {
    options = parseHistoryArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`gen:history: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const summary = await writeHistory(options);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `wrote ${summary.runs} runs, ${summary.rows} rows, ${(summary.bytes / 1e6).toFixed(1)} MB to ${options.out} ` +
      `in ${seconds.toFixed(1)} s (models ${options.models}, tests ${options.tests}, days ${options.days}, seed ${options.seed})`,
  );
}

await main();
