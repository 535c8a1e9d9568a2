/**
 * bench:effects — the planted sessions world at full scale, over several seeds: how well each estimator
 * recovers the planted lesson effects (coverage of the randomized interval, signs, stratified vs naive LOO,
 * null lessons called significant, IPW averaged over seeds), all in memory with the pure functions.
 *
 *   npm run bench:effects [-- --seeds 20 --sessions 20000 --lessons 64 --holdout 0.1 --draws 200 --out dir]
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
    /** Writes each seed's ground-truth.json (planted effects, true risk differences) under this directory. */
    out: { type: 'string' },
  },
});

const seeds = Number(values.seeds);
const all: LessonResult[] = [];
const ipwErrors = new Map<string, number[]>();
const started = Date.now();
for (let seed = 1; seed <= seeds; seed += 1) {
  const world = simulateSessionsWorld({
    ...DEFAULT_SESSIONS_WORLD,
    seed,
    sessions: Number(values.sessions),
    lessons: Number(values.lessons),
    holdoutRate: Number(values.holdout),
    inclusionDraws: Number(values.draws),
  });
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(path.join(values.out, `ground-truth-seed-${seed}.json`), JSON.stringify({ config: world.config, lessons: world.truth }, null, 2));
  }
  const results = lessonResults(world);
  all.push(...results);
  for (const { truth, estimates } of results) {
    const ipw = estimates.ipw.effect;
    if (ipw === null) continue;
    const list = ipwErrors.get(truth.lessonId) ?? [];
    list.push(ipw - truth.trueRiskDifference);
    ipwErrors.set(truth.lessonId, list);
  }
}
const figures = effectFigures(all);
const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
console.log(machineLoadLine());
console.log(`seeds ${seeds}, sessions ${values.sessions} each, lessons ${values.lessons}, holdout ${values.holdout}, MC draws ${values.draws}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`| figure | value | target |\n|---|---|---|`);
console.log(`| lessons measured (>= 200 exposures) | ${figures.measured} | >= 40 |`);
console.log(`| randomized 95% interval covers the truth | ${pct(share(figures.coverage))} (${figures.coverage.covered}/${figures.coverage.of}) | >= 90% |`);
console.log(`| sign right where truth >= 1.65 SE | ${pct(share(figures.sign))} (${figures.sign.right}/${figures.sign.of}) | >= 90%, >= 20 lessons |`);
console.log(`| stratified LOO right where naive LOO is wrong | ${pct(share(figures.stratifiedLoo))} (${figures.stratifiedLoo.right}/${figures.stratifiedLoo.of}) | >= 90% |`);
console.log(`| null lessons called significant | ${pct(share(figures.nullLessons))} (${figures.nullLessons.significant}/${figures.nullLessons.of}) | <= 5%, >= 100 lessons |`);
let within = 0;
for (const errors of ipwErrors.values()) {
  const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
  const sd = Math.sqrt(errors.reduce((s, e) => s + (e - mean) ** 2, 0) / Math.max(1, errors.length - 1));
  if (Math.abs(mean) <= 2 * (sd / Math.sqrt(errors.length))) within += 1;
}
console.log(`| IPW mean over seeds within 2 SE of the truth | ${pct(ipwErrors.size ? within / ipwErrors.size : null)} (${within}/${ipwErrors.size} lessons) | each lesson |`);
