/**
 * The lifecycle policy deciding on effect (`policyDecidesOn`: `holdout-effect` or `stratified-loo`): it folds
 * each lesson's exposure into pass counts per stratum (model x category, as the lesson-effects read model's
 * default strata) and arm, and after each exposure takes a decision when the lesson's estimate is sure enough:
 * archive when the interval lies below 0 (the lesson hurts), promote a draft and propose its `## Detection`
 * keywords when it lies above 0. Counts are small (strata x arms), never the outcomes themselves.
 *
 * An outcome counts once: only the first exposure recorded for it (its exposure stream's revision 0) is
 * folded, so a second source reporting the same outcome adds nothing. (The read model goes further and takes
 * a lesson from a later source when the first did not name it.) Paths no lesson had are not counted.
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { LessonExposureRecordedData } from '../../../contracts/exposure.js';
import type { BanditRules } from '../../../projections/bandit/bandit-rules.js';
import { totals, type IntervalEstimate, type StratumTable } from '../../../projections/effects/arm-counts.js';
import { DEFAULT_EFFECT_RULES, stratumKey } from '../../../projections/effects/effect-rules.js';
import { mantelHaenszelRiskDifference } from '../../../projections/effects/mantel-haenszel.js';
import { stratifiedLeaveOneOut } from '../../../projections/effects/stratified-loo.js';
import { zForLevel } from '../../../projections/stats/normal-quantile.js';
import { archiveExemption, type PolicyLessonView, type PolicyVerdict } from './decide-policy.js';

export type EffectBasis = 'holdout-effect' | 'stratified-loo';

/** stratum -> [treated n, treated passes, control n, control passes] under the basis's arms. */
export type EffectCounts = Record<string, [number, number, number, number]>;

export interface EffectEvidenceLists {
  eventIds: string[];
  globalPositions: string[];
}

/** Whether the basis counts this exposure entry, and in which arm (true: treated). */
export function armFor(basis: EffectBasis, injected: boolean, entry: { holdoutRate?: number | undefined; withheldBy?: string }): boolean | null {
  if (basis === 'stratified-loo') return injected;
  if (injected) return entry.holdoutRate !== undefined ? true : null;
  return entry.withheldBy === 'coin' ? false : null;
}

/** The lessons of one exposure event the basis counts: [lessonId, treated?]. Empty for a repeated report. */
export function countedLessons(event: RecordedEvent, basis: EffectBasis): [string, boolean][] {
  const data = event.data as LessonExposureRecordedData;
  if (event.streamRevision !== 0n || data.outcome.suspectedInfraError) return [];
  const out: [string, boolean][] = [];
  for (const [list, injected] of [[data.injected, true], [data.withheld, false]] as const) {
    for (const entry of list) {
      const arm = entry.lessonId === undefined ? null : armFor(basis, injected, entry);
      if (arm !== null && !out.some(([id]) => id === entry.lessonId)) out.push([entry.lessonId!, arm]);
    }
  }
  return out;
}

export function exposureStratum(event: RecordedEvent): string {
  const data = event.data as LessonExposureRecordedData;
  return stratumKey(DEFAULT_EFFECT_RULES, data.outcome.model, data.category ?? data.outcome.suite ?? 'uncategorised');
}

/** The counts with one outcome added (a copy; `counts` is left as it was). */
export function withOutcome(counts: EffectCounts | undefined, stratum: string, treated: boolean, passed: boolean): EffectCounts {
  const next = { ...counts };
  const cell: [number, number, number, number] = [...(counts?.[stratum] ?? [0, 0, 0, 0])];
  cell[treated ? 0 : 2]! += 1;
  if (passed) cell[treated ? 1 : 3]! += 1;
  next[stratum] = cell;
  return next;
}

export interface EffectSummary extends IntervalEstimate {
  n: number;
  treated: number;
  control: number;
}

export function summarizeEffect(counts: EffectCounts | undefined, basis: EffectBasis, level: number): EffectSummary {
  const strata: StratumTable[] = Object.keys(counts ?? {})
    .sort()
    .map((key) => {
      const [n1, a, n0, c] = counts![key]!;
      return { key, treated: { n: n1, passes: a }, control: { n: n0, passes: c } };
    });
  const z = zForLevel(level);
  const estimate = basis === 'holdout-effect' ? mantelHaenszelRiskDifference(strata, z) : stratifiedLeaveOneOut(strata, z);
  const { treated, control } = totals(strata);
  return { effect: estimate.effect, se: estimate.se, lower: estimate.lower, upper: estimate.upper, n: treated.n + control.n, treated: treated.n, control: control.n };
}

/** Archive (interval below 0), promote a draft and propose its keywords (interval above 0), or nothing. */
export function decideOnEffect(lesson: PolicyLessonView, effect: EffectSummary, basis: EffectBasis, rules: BanditRules): PolicyVerdict[] {
  if (lesson.status === 'archived' || effect.n < rules.policyEffectMinOutcomes || effect.lower === null || effect.upper === null) return [];
  const numbers = {
    effect: effect.effect!, lower: effect.lower, upper: effect.upper, n: effect.n, treated: effect.treated, control: effect.control,
    policyEffectLevel: rules.policyEffectLevel, policyEffectMinOutcomes: rules.policyEffectMinOutcomes,
  };
  const interval = `${basis} ${effect.effect!.toFixed(4)} with ${rules.policyEffectLevel} interval [${effect.lower.toFixed(4)}, ${effect.upper.toFixed(4)}] over ${effect.n} outcomes`;
  if (effect.upper < 0) {
    if (archiveExemption(lesson, rules) !== null) return [];
    return [{ kind: 'archive', rule: 'archive-negative-effect', to: 'archived', numbers, reason: `${interval}: the lesson lowers the pass rate (rule archive-negative-effect)` }];
  }
  if (!(effect.lower > 0)) return [];
  const verdicts: PolicyVerdict[] = [];
  if (lesson.status === 'draft') {
    verdicts.push({ kind: 'promote', rule: 'promote-positive-effect', to: 'active', numbers, reason: `${interval}: the lesson raises the pass rate (rule promote-positive-effect)` });
  }
  const missing = lesson.detectionKeywords.filter((k) => !lesson.keywords.includes(k));
  if (missing.length > 0) {
    verdicts.push({ kind: 'expand-keywords', rule: 'expand-keywords-from-detection', keywords: missing, numbers, reason: `proven lesson (${interval}): keywords proposed from its ## Detection bullets (rule expand-keywords-from-detection)` });
  }
  return verdicts;
}
