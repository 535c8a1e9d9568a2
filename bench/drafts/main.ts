/**
 * `npm run bench:drafts -- [--models 40 --days 365 --seed 1]`: lesson-draft detection over a year of the
 * planted failure world at full scale (40 models x 99 tests x 365 days, about 5% of outcomes failing, each with
 * a conversation log), through the same pure functions the detector runs: signatures from each failing log,
 * windows of patterns streamed day by day, the covering-lesson check, keywords, the template drafter. Prints
 * wall time, apart the time generating the world and detecting (goal: detecting < 60 s), the RSS after each quarter of the days (goal: flat in history size, the last quarter
 * within 1.5x of the first), and the drafts against the planted truth. Needs no database.
 */
import { parseArgs } from 'node:util';
import { detectWorld } from '../gen-history/failure-world/detect-world.js';
import { FULL_FAILURE_WORLD } from '../gen-history/failure-world/world-config.js';
import { DEFAULT_DRAFT_RULES } from '../../projections/drafts/draft-rules.js';
import { integerArg } from '../support/args.js';
import { machineLoadLine } from '../support/machine-load.js';

const { values } = parseArgs({ options: { models: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' } }, strict: true });
const config = {
  ...FULL_FAILURE_WORLD,
  models: integerArg('models', values.models, FULL_FAILURE_WORLD.models),
  days: integerArg('days', values.days, FULL_FAILURE_WORLD.days),
  seed: integerArg('seed', values.seed, FULL_FAILURE_WORLD.seed, 0),
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;
const marks = [1, 2, 3, 4].map((q) => Math.max(0, Math.round((config.days * q) / 4) - 1));
const rss: { day: number; rss: number }[] = [];

console.log(`bench:drafts  ${config.models} models x ${config.families * config.testsPerFamily} tests x ${config.days} days, seed ${config.seed}`);
console.log(`before: ${machineLoadLine()}`);
const started = process.hrtime.bigint();
const cpu = process.cpuUsage();
const detection = detectWorld(config, DEFAULT_DRAFT_RULES, (day) => {
  if (!marks.includes(day)) return;
  gc?.();
  rss.push({ day: day + 1, rss: process.memoryUsage().rss });
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpuSeconds = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;
const uncovered = detection.truth.patterns.filter((p) => !p.covered).length;
console.log(`after:  ${machineLoadLine()}`);
console.log(
  `${detection.outcomes} outcomes, ${detection.failingLogs} failing with a log (${((100 * detection.failingLogs) / detection.outcomes).toFixed(1)}%), ` +
    `${detection.summary.windows} windows, ${detection.patterns.length} patterns, ${detection.covered.size} covered, ${detection.proposals.length} drafts ` +
    `(${uncovered} planted uncovered patterns)`,
);
const detecting = seconds - detection.simulateMs / 1000;
console.log(
  `wall ${seconds.toFixed(1)} s, of which generating the world ${(detection.simulateMs / 1000).toFixed(1)} s and detecting ${detecting.toFixed(1)} s (goal < 60 s); ` +
    `cpu ${cpuSeconds.toFixed(1)} s${gc ? '' : '  (run with --expose-gc for steady RSS marks)'}`,
);
console.log(`RSS after each quarter of the days: ${rss.map((r) => `day ${r.day}: ${mb(r.rss)}`).join(', ')}`);
const flat = rss.length === 4 ? rss[3]!.rss / rss[0]!.rss : NaN;
console.log(`RSS last / first quarter: ${flat.toFixed(2)} (goal <= 1.5)`);
process.exitCode = detecting < 60 && flat <= 1.5 ? 0 : 1;
