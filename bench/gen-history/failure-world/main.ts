/**
 * `npm run gen:failure-world -- --out <dir> [--seed N] [--full]`: the planted failure world as gptme files
 * (write-failure-world.ts); the small world by default, `--full` the bench's year (40 models x 99 tests x 365
 * days). Then: `lessonloop import results <dir>/eval_results`, `lessonloop import lessons <dir>/lessons`,
 * `LESSONLOOP_LOG_ROOT=<dir>/logs lessonloop drafts detect`, and compare with `<dir>/ground-truth.json`.
 */
import { parseArgs } from 'node:util';
import { integerArg } from '../../support/args.js';
import { writeFailureWorld } from './write-failure-world.js';
import { FULL_FAILURE_WORLD, SMALL_FAILURE_WORLD } from './world-config.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, seed: { type: 'string' }, full: { type: 'boolean', default: false } }, strict: true });
if (!values.out) {
  console.error('gen:failure-world: --out <dir> is required');
  process.exitCode = 2;
} else {
  const base = values.full ? FULL_FAILURE_WORLD : SMALL_FAILURE_WORLD;
  const config = { ...base, seed: integerArg('seed', values.seed, base.seed, 0) };
  const started = Date.now();
  const files = await writeFailureWorld(config, values.out);
  console.log(
    `wrote the failure world to ${values.out}: ${files.runs} runs (${files.rows} rows) in eval_results/, ${files.logs} logs in logs/, ` +
      `${files.truth.patterns.filter((p) => p.lessonOf === p.id).length} lessons in lessons/, ground-truth.json (${files.truth.patterns.filter((p) => !p.covered).length} patterns to draft) ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${config.seed})`,
  );
}
