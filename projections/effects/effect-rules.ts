/** Rule parameters of the lesson-effect read models (a rule set overrides them by name or under `lesson-effects`). */
import { z } from 'zod';
import { FDR_METHODS } from '../stats/false-discovery.js';

export const EFFECT_STRATA = ['model-category', 'category', 'model', 'none'] as const;

export const effectRulesSchema = z.strictObject({
  /** What a stratum is: (model, task category) by default; the category is the session's, else the outcome's suite. */
  effectStrata: z.enum(EFFECT_STRATA),
  /** IPW leaves out outcomes whose propensity is outside [clip, 1 - clip] (trimmed; how many is reported as `clipped`). */
  effectPropensityClip: z.number().min(0).lt(0.5),
  /**
   * Stratified LOO's strata are cut further by the outcome's logged propensity, into this many equal bands of
   * [0, 1] (0: not cut). The bandit picks a lesson less often where better candidates compete, so "not injected"
   * outcomes come from sessions with stronger lessons injected; within a band they are comparable (subclassification
   * on the propensity score, Rosenbaum & Rubin 1984). Outcomes without a propensity keep their stratum.
   */
  effectLooPropensityBands: z.number().int().min(0).max(100),
  /** Mass of the reported intervals; an estimate is significant when its interval (and Fisher's p) exclude no effect. */
  effectConfidenceLevel: z.number().gt(0).lt(1),
  /** False-discovery control over the family of every lesson's estimate by one method under the rule set. */
  effectFdrMethod: z.enum(FDR_METHODS as ['bh', 'by']),
  /** An estimate is a discovery when its q-value is at most this. */
  effectFdrLevel: z.number().gt(0).lt(1),
});
export type EffectRules = z.infer<typeof effectRulesSchema>;

export const DEFAULT_EFFECT_RULES: EffectRules = {
  effectStrata: 'model-category',
  effectPropensityClip: 0.01,
  effectLooPropensityBands: 5,
  effectConfidenceLevel: 0.95,
  effectFdrMethod: 'bh',
  effectFdrLevel: 0.05,
};

/** Marks the propensity band in a stratum key: `<stratum>|band:<lower>-<upper>`. */
const BAND_MARK = '|band:';

/** The stratum an outcome falls in under the rules, with the band of its logged propensity (if any) for LOO. */
export function stratumKey(rules: EffectRules, model: string, category: string, propensity?: number | null): string {
  const stratum = baseStratumKey(rules, model, category);
  const bands = rules.effectLooPropensityBands;
  if (bands === 0 || propensity === null || propensity === undefined) return stratum;
  const band = Math.min(bands - 1, Math.max(0, Math.floor(propensity * bands)));
  return `${stratum}${BAND_MARK}${+(band / bands).toFixed(4)}-${+((band + 1) / bands).toFixed(4)}`;
}

/** The stratum without its propensity band (the randomized holdout's stratum). */
export function withoutBand(key: string): string {
  const at = key.lastIndexOf(BAND_MARK);
  return at < 0 ? key : key.slice(0, at);
}

function baseStratumKey(rules: EffectRules, model: string, category: string): string {
  switch (rules.effectStrata) {
    case 'model-category':
      return `${model}|${category}`;
    case 'category':
      return category;
    case 'model':
      return model;
    case 'none':
      return 'all';
  }
}
