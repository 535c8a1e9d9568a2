/**
 * The planted world's events folded through the lesson-effects projection (in memory, as the engine folds
 * them), and how the estimates compare with the truth: interval coverage, signs, false positives.
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import { foldDocuments, type DocumentSlot } from '../../../projections/machinery/documents.js';
import { estimateEffects, type EffectEstimate, type EffectMethod } from '../../../projections/effects/estimate-effects.js';
import { effectDocsOf, evidenceRowsOf } from '../../../projections/effects/lesson-effect-evidence.js';
import { lessonEffects, type LessonEffectDoc, type LessonEffectsDocument } from '../../../projections/effects/lesson-effects.js';
import { resolveRules, type ReadModelChange, type RuleValues } from '../../../projections/machinery/projection.js';
import type { LessonTruth, SessionsWorld } from './simulate-sessions.js';

export interface LessonResult {
  truth: LessonTruth;
  estimates: Record<EffectMethod, EffectEstimate>;
}

/** Folds the events in batches of `batchSize` (the engine's cut; the result must not depend on it). */
export function foldLessonEffects(events: readonly RecordedEvent[], ruleSet: RuleValues = {}, batchSize = events.length || 1): Map<string, LessonEffectDoc> {
  const rules = resolveRules(lessonEffects, ruleSet);
  const docs = new Map<string, DocumentSlot<LessonEffectsDocument>>();
  const rows: ReadModelChange[] = [];
  for (let i = 0; i < events.length; i += batchSize) {
    const batch = events.slice(i, i + batchSize);
    const missing = [...new Set(batch.flatMap((e) => lessonEffects.documentKeys(e, rules)))].filter((k) => !docs.has(k));
    for (const key of missing) docs.set(key, undefined);
    foldDocuments(lessonEffects, rules, batch, docs, new Set(), rows);
  }
  const stored = Object.fromEntries([...docs].filter((entry): entry is [string, LessonEffectsDocument] => entry[1] !== null && entry[1] !== undefined));
  return new Map(Object.entries(effectDocsOf(stored, evidenceRowsOf(rows))));
}

export function lessonResults(world: SessionsWorld, ruleSet: RuleValues = {}): LessonResult[] {
  const rules = resolveRules(lessonEffects, ruleSet);
  const docs = foldLessonEffects(world.events, ruleSet);
  return world.truth.flatMap((truth) => {
    const doc = docs.get(`id:${truth.lessonId}`);
    return doc ? [{ truth, estimates: estimateEffects(doc, rules) }] : [];
  });
}

export interface EffectFigures {
  lessons: number;
  /** Lessons with >= minExposures exposures and a randomized estimate. */
  measured: number;
  coverage: { covered: number; of: number };
  /** Among lessons whose true effect is >= 1.65 design SEs of the randomized estimate from 0 (world-truth.ts). */
  sign: { right: number; of: number };
  /** The same with the estimated SE as the filter (selects lessons on their noise; shown, not the figure). */
  signByEstimatedSe: { right: number; of: number };
  /** Among lessons with a nonzero effect where naive pooled LOO has the wrong sign. */
  stratifiedLoo: { right: number; of: number };
  nullLessons: { significant: number; of: number };
}

/** What the randomized estimate targets (MH-weighted over the realised strata), else the plain mean difference. */
export function randomizedTruth(truth: LessonTruth): number {
  return truth.randomizedTruth?.rd ?? truth.trueRiskDifference;
}

const rate = ({ right, of }: { right: number; of: number }) => (of === 0 ? null : right / of);
export const share = (x: { right: number; of: number } | { covered: number; of: number } | { significant: number; of: number }) =>
  'right' in x ? rate(x) : 'covered' in x ? rate({ right: x.covered, of: x.of }) : rate({ right: x.significant, of: x.of });

export function effectFigures(results: readonly LessonResult[], minExposures = 200): EffectFigures {
  const figures: EffectFigures = {
    lessons: results.length,
    measured: 0,
    coverage: { covered: 0, of: 0 },
    sign: { right: 0, of: 0 },
    signByEstimatedSe: { right: 0, of: 0 },
    stratifiedLoo: { right: 0, of: 0 },
    nullLessons: { significant: 0, of: 0 },
  };
  for (const { truth, estimates } of results) {
    const randomized = estimates['randomized-holdout'];
    if (truth.exposures < minExposures || randomized.effect === null) continue;
    figures.measured += 1;
    const rd = randomizedTruth(truth);
    figures.coverage.of += 1;
    if (randomized.lower! <= rd && rd <= randomized.upper!) figures.coverage.covered += 1;
    const designSe = truth.randomizedTruth?.se ?? randomized.se!;
    if (Math.abs(rd) >= 1.65 * designSe) {
      figures.sign.of += 1;
      if (Math.sign(randomized.effect) === Math.sign(rd)) figures.sign.right += 1;
    }
    if (Math.abs(rd) >= 1.65 * randomized.se!) {
      figures.signByEstimatedSe.of += 1;
      if (Math.sign(randomized.effect) === Math.sign(rd)) figures.signByEstimatedSe.right += 1;
    }
    const naive = estimates['pooled-loo'].effect;
    const stratified = estimates['stratified-loo'].effect;
    if (truth.plantedEffect !== 0 && naive !== null && stratified !== null && Math.sign(naive) !== Math.sign(truth.plantedEffect)) {
      figures.stratifiedLoo.of += 1;
      if (Math.sign(stratified) === Math.sign(truth.plantedEffect)) figures.stratifiedLoo.right += 1;
    }
    if (truth.plantedEffect === 0) {
      figures.nullLessons.of += 1;
      if (randomized.significant) figures.nullLessons.significant += 1;
    }
  }
  return figures;
}
