/** Rule parameters of the lesson-effect read models (a rule set overrides them by name or under `lesson-effects`). */
import { z } from 'zod';
import { FDR_METHODS } from '../stats/false-discovery.js';

export const EFFECT_STRATA = ['model-category', 'category', 'model', 'none'] as const;

export const effectRulesSchema = z.strictObject({
  /** What a stratum is: (model, task category) by default; the category is the session's, else the outcome's suite. */
  effectStrata: z.enum(EFFECT_STRATA),
  /** Propensities are clipped to [clip, 1 - clip] before weighting (how many were is reported). */
  effectPropensityClip: z.number().min(0).lt(0.5),
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
  effectConfidenceLevel: 0.95,
  effectFdrMethod: 'bh',
  effectFdrLevel: 0.05,
};

/** The stratum an outcome falls in under the rules. */
export function stratumKey(rules: EffectRules, model: string, category: string): string {
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
