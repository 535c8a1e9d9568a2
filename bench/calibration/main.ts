/**
 * `npm run bench:calibration -- [--days 365 --models 40 --tests 99 --seeds 5 --models-per-run 4 --fdr 0.05]`:
 * the trend statistics' calibration at full scale, in memory: the A/A world's share of families with any
 * flagged regression (corrected and uncorrected) and the power world's false discovery proportion, MDE
 * promise and model-wide detection (bench/gen-history/calibration-world). Prints markdown tables.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TRENDS_FDR_RULES } from '../../projections/eval/trends-false-discovery.js';
import { DEFAULT_STATISTICAL_RULES } from '../../projections/eval/trends.js';
import { aaFigures, powerFigures, type Share } from '../gen-history/calibration-world/figures.js';
import { defaultPowerPlan, plantDrops } from '../gen-history/calibration-world/plants.js';
import { aaWorld, calibrationWorld } from '../gen-history/calibration-world/world.js';
import { integerArg } from '../support/args.js';
import { formatFixed, formatInteger, markdownTable } from '../support/table.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    days: { type: 'string' },
    models: { type: 'string' },
    tests: { type: 'string' },
    seeds: { type: 'string' },
    'models-per-run': { type: 'string' },
    fdr: { type: 'string' },
  },
  strict: true,
});
const days = integerArg('days', values.days, 365, 25);
const models = integerArg('models', values.models, 40);
const tests = integerArg('tests', values.tests, 99);
const seeds = integerArg('seeds', values.seeds, 5);
const modelsPerRun = integerArg('models-per-run', values['models-per-run'], 4);
const level = values.fdr === undefined ? 0.05 : Number(values.fdr);
if (!(level > 0 && level < 1)) throw new Error(`--fdr must be in (0, 1), got ${values.fdr}`);

const rules = DEFAULT_STATISTICAL_RULES;
const fdr = { ...DEFAULT_TRENDS_FDR_RULES, fdrLevel: level };
const seedList = Array.from({ length: seeds }, (_, i) => i + 1);
const pct = (s: Share) => `${formatFixed(100 * s.share, 2)}% ± ${formatFixed(100 * s.se, 2)}`;

console.log(`# calibration: ${days} days x ${models} models x ${tests} tests, ${seeds} seeds, ${modelsPerRun} models a run, BH at q = ${level}`);
console.log(`rules: window ${rules.window}, recent ${rules.recent}, alpha ${rules.alpha}, minRuns ${rules.minRuns}; MDE power ${fdr.mdePower}\n`);

let started = Date.now();
const aa = aaFigures(seedList.map((seed) => aaWorld({ seed, models, tests, days, modelsPerRun })), rules, fdr, rules.window - 1);
console.log(`## A/A world (stationary): share of families with any flagged regression (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
console.log(
  markdownTable(
    [
      { header: 'families', cell: (r) => r.kind },
      { header: 'count', align: 'right', cell: (r) => formatInteger(r.corrected.of) },
      { header: 'hypotheses', align: 'right', cell: (r) => formatInteger(r.hypotheses) },
      { header: `BH q=${level}: any flag`, align: 'right', cell: (r) => pct(r.corrected) },
      { header: `bound ${level} + 2 SE`, align: 'right', cell: (r) => `${formatFixed(100 * (level + 2 * r.corrected.se), 2)}%` },
      { header: 'flags (BH)', align: 'right', cell: (r) => formatInteger(r.flagsCorrected) },
      { header: `uncorrected p<${rules.alpha}: any flag`, align: 'right', cell: (r) => pct(r.uncorrected) },
      { header: 'flags (uncorrected)', align: 'right', cell: (r) => formatInteger(r.flagsUncorrected) },
    ],
    aa,
  ),
);

started = Date.now();
const powerWorlds = seedList.map((seed) => calibrationWorld({ seed, models, tests, days, modelsPerRun, drops: plantDrops(seed, models, tests, defaultPowerPlan(models, tests, days)) }));
const plan = defaultPowerPlan(models, tests, days);
const power = powerFigures(powerWorlds, rules, fdr, plan.firstDay - 1);
console.log(`\n## power world (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
console.log(
  `planted per seed: ${plan.seriesPerSize} series at each of ${plan.seriesSizes.join(', ')}; ${plan.droppedModels} models -${plan.modelDrop} on every test; ` +
    `${plan.droppedTests} tests -${plan.testDrop} on every model; starts on days ${plan.firstDay}..${plan.lastDay}\n`,
);
console.log(
  markdownTable(
    [
      { header: 'families', cell: ([k]) => k },
      { header: 'count', align: 'right', cell: ([, r]) => formatInteger(r.families) },
      { header: 'flags', align: 'right', cell: ([, r]) => formatInteger(r.flags) },
      { header: 'false flags', align: 'right', cell: ([, r]) => formatInteger(r.falseFlags) },
      { header: 'mean FDP', align: 'right', cell: ([, r]) => `${formatFixed(100 * r.mean, 2)}% ± ${formatFixed(100 * r.se, 2)}` },
      { header: `bound ${level} + 2 SE`, align: 'right', cell: ([, r]) => `${formatFixed(100 * (level + 2 * r.se), 2)}%` },
    ],
    Object.entries(power.fdp),
  ),
);
console.log('\n### drops at least their reported MDE, flagged by the run the MDE named\n');
console.log(
  markdownTable(
    [
      { header: 'planted on', cell: ([k]) => k },
      { header: 'drops >= MDE', align: 'right', cell: ([, s]) => formatInteger(s.of) },
      { header: 'flagged by then', align: 'right', cell: ([, s]) => pct(s) },
      { header: 'below MDE / none', align: 'right', cell: ([k]) => (k === 'all' ? '' : formatInteger(power.belowMde[k as 'series'])) },
    ],
    Object.entries(power.mde),
  ),
);
console.log(`\nmodel-wide -${plan.modelDrop} drops found within 3 runs (corrected model-pool family): ${power.modelWithin3.hits} of ${power.modelWithin3.of} (${pct(power.modelWithin3)})`);
