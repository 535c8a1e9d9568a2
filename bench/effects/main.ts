/**
 * bench:effects — the planted sessions world at full scale, over several seeds: how well each estimator
 * recovers the planted lesson effects (coverage of the randomized interval, signs, stratified vs naive LOO,
 * null lessons called significant, IPW averaged over seeds), all in memory with the pure functions.
 *
 *   npm run bench:effects [-- --seeds 20 --sessions 20000 --lessons 64 --holdout 0.1 --draws 200 --truth-draws 100 --out dir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { effectFigures, lessonResults, share, type LessonResult } from '../gen-history/sessions-world/evaluate-effects.js';
import { simulateSessionsWorld } from '../gen-history/sessions-world/simulate-sessions.js';
import { DEFAULT_SESSIONS_WORLD } from '../gen-history/sessions-world/world-config.js';
import { machineLoadLine } from '../support/machine-load.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    sessions: { type: 'string', default: '20000' },
    lessons: { type: 'string', default: '64' },
    holdout: { type: 'string', default: '0.1' },
    draws: { type: 'string', default: '200' },
    /** Redraws per session for IPW's estimand (the policy contrast; world-truth.ts). */
    'truth-draws': { type: 'string', default: '100' },
    /** Writes each seed's ground-truth.json (planted effects, true risk differences) under this directory. */
    out: { type: 'string' },
  },
});

const seeds = Number(values.seeds);
const all: LessonResult[] = [];
const ipwErrors = new Map<string, number[]>();
/** Per planted effect: IPW outcomes left out (propensity outside the clip bounds) and kept. */
const clippedByEffect = new Map<number, { clipped: number; kept: number }>();
const started = Date.now();
for (let seed = 1; seed <= seeds; seed += 1) {
  const world = simulateSessionsWorld({
    ...DEFAULT_SESSIONS_WORLD,
    seed,
    sessions: Number(values.sessions),
    lessons: Number(values.lessons),
    holdoutRate: Number(values.holdout),
    inclusionDraws: Number(values.draws),
    truthDraws: Number(values['truth-draws']),
  });
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(path.join(values.out, `ground-truth-seed-${seed}.json`), JSON.stringify({ config: world.config, lessons: world.truth }, null, 2));
  }
  const results = lessonResults(world);
  all.push(...results);
  for (const { truth, estimates } of results) {
    const counts = clippedByEffect.get(truth.plantedEffect) ?? { clipped: 0, kept: 0 };
    counts.clipped += estimates.ipw.clipped ?? 0;
    counts.kept += estimates.ipw.n;
    clippedByEffect.set(truth.plantedEffect, counts);
    const ipw = estimates.ipw.effect;
    if (ipw === null || truth.ipwTruth === null) continue;
    const list = ipwErrors.get(truth.lessonId) ?? [];
    list.push(ipw - truth.ipwTruth);
    ipwErrors.set(truth.lessonId, list);
  }
}
const figures = effectFigures(all);
let within = 0;
for (const errors of ipwErrors.values()) {
  const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
  const sd = Math.sqrt(errors.reduce((s, e) => s + (e - mean) ** 2, 0) / Math.max(1, errors.length - 1));
  if (Math.abs(mean) <= 2 * (sd / Math.sqrt(errors.length))) within += 1;
}
const ipw = { right: within, of: ipwErrors.size };
const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const row = (figure: string, got: { right: number; of: number }, goal: string, pass: boolean) =>
  `| ${figure} | ${pct(share(got))} (${got.right}/${got.of}) | ${goal} | ${pass ? 'pass' : 'FAIL'} |`;
const at = (x: { right: number; of: number }, least: number, min: number) => x.of >= min && (share(x) ?? 0) >= least;
const coverage = { right: figures.coverage.covered, of: figures.coverage.of };
const nulls = { right: figures.nullLessons.significant, of: figures.nullLessons.of };
console.log(machineLoadLine());
console.log(`seeds ${seeds}, sessions ${values.sessions} each, lessons ${values.lessons}, holdout ${values.holdout}, MC draws ${values.draws}, truth draws ${values['truth-draws']}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`| must show | measured | goal | |\n|---|---|---|---|`);
console.log(`| lessons measured (>= 200 exposures), per seed | ${(figures.measured / seeds).toFixed(1)} | >= 40 | ${figures.measured / seeds >= 40 ? 'pass' : 'FAIL'} |`);
console.log(row('randomized 95% interval covers its estimand', coverage, '>= 90% of >= 40', at(coverage, 0.9, 40)));
console.log(row('sign right where truth >= 1.65 design SE', figures.sign, '>= 90% of >= 20', at(figures.sign, 0.9, 20)));
console.log(row('(shown) sign right where truth >= 1.65 estimated SE', figures.signByEstimatedSe, 'not a goal', true));
console.log(row('stratified LOO right where naive LOO is wrong', figures.stratifiedLoo, '>= 90%', at(figures.stratifiedLoo, 0.9, 1)));
console.log(row('null lessons called significant', nulls, '<= 5% of >= 100', nulls.of >= 100 && (share(nulls) ?? 1) <= 0.05));
// An unbiased estimator's seed mean is within 2 SE for ~95% of lessons; >= 90% leaves room for chance.
console.log(row('IPW mean over seeds within 2 SE of its estimand', ipw, '>= 90% of lessons, >= 20 seeds', seeds >= 20 && at(ipw, 0.9, 1)));
const clipped = [...clippedByEffect].sort(([a], [b]) => b - a);
const clippedTotal = clipped.reduce((sum, [, c]) => sum + c.clipped, 0);
const ipwTotal = clipped.reduce((sum, [, c]) => sum + c.clipped + c.kept, 0);
console.log(
  `IPW propensities outside [clip, 1 - clip], left out: ${clippedTotal} of ${ipwTotal} (${pct(clippedTotal / Math.max(1, ipwTotal))}); by planted effect: ` +
    clipped.map(([effect, c]) => `${effect}: ${c.clipped}/${c.clipped + c.kept}`).join(', '),
);
