/**
 * Every parameter of the bandit and the lifecycle policy. They are rule parameters (a `RuleSetDefined`
 * event may override any of them), never stored in the bandit's events: replaying the same events under
 * other rules gives other posteriors and decisions, which is what the counterfactual audit does.
 */
import { z } from 'zod';

export const DEFAULT_POLICY_RULE_SET_ID = 'lifecycle-default';

export const banditRulesSchema = z
  .strictObject({
    /** Which rule set these rules are (cited by every decision); set from the RuleSetDefined event. */
    ruleSetId: z.string().min(1),
    /** 1 for the first RuleSetDefined of the id, +1 for each redefinition. */
    ruleSetVersion: z.int().positive(),
    /** Beta(priorAlpha, priorBeta) before any reward. */
    priorAlpha: z.number().positive(),
    priorBeta: z.number().positive(),
    /** Discounted Thompson sampling: at every reward, all evidence so far is multiplied by gamma (1 = no decay). */
    gamma: z.number().gt(0).max(1),
    /** Share a reward by the session's per-lesson salience (weight = min(1, salience)); else weight 1. */
    salienceWeighting: z.boolean(),
    /** A contextual arm (per model, per category) is used once it has this many rewards; else the global arm. */
    minContextCount: z.int().nonnegative(),
    /** How many lessons a selection takes (top-k by theta). */
    topK: z.int().positive(),
    /** Randomized holdout: each lesson the draw selects is withheld with this probability (0: no coin). */
    holdoutRate: z.number().min(0).lt(1),
    /** Monte Carlo redraws for each candidate's inclusion probability (0: not estimated). */
    inclusionDraws: z.int().nonnegative().max(100000),
    /** A candidate whose theta is below the floor is never selected. */
    thetaFloor: z.number().min(0).max(1),
    /** Mass of the central credible interval reported and used by the promote rule. */
    credibleLevel: z.number().gt(0).lt(1),
    /** Archive: posterior mean below this with at least archiveMinRewards rewards. */
    archiveBelowMean: z.number().min(0).max(1),
    archiveMinRewards: z.int().positive(),
    /** Promote: lower credible bound above this with at least promoteMinRewards rewards. */
    promoteAboveLower: z.number().min(0).max(1),
    promoteMinRewards: z.int().positive(),
    /**
     * Flag for mutation: the posterior mean sits in [flagMeanLow, flagMeanHigh] after at least flagMinRewards
     * rewards and the credible interval is already narrower than flagMaxIntervalWidth, so more rewards will
     * not move the lesson out of the middle band: it needs rewriting, not more data. Once per lesson and reason.
     */
    flagMeanLow: z.number().min(0).max(1),
    flagMeanHigh: z.number().min(0).max(1),
    flagMinRewards: z.int().positive(),
    flagMaxIntervalWidth: z.number().gt(0).max(1),
    /**
     * What archive and promote (and the keyword proposal) decide on: `reward` (the lesson's posterior, above),
     * `holdout-effect` (the randomized holdout's Mantel-Haenszel risk difference from exposure) or
     * `stratified-loo` (the observational stratified leave-one-out). On an effect, flags for mutation are not taken.
     */
    policyDecidesOn: z.enum(['reward', 'holdout-effect', 'stratified-loo']),
    /** Outcomes (both arms) an effect estimate needs before the policy acts on it. */
    policyEffectMinOutcomes: z.int().positive(),
    /** Mass of the effect's interval: archive when it lies below 0, promote a draft when above. */
    policyEffectLevel: z.number().gt(0).lt(1),
    /** Lessons of these categories are never archived (nor flagged) by the policy. */
    exemptCategories: z.array(z.string().min(1)),
    /** A lesson with a confound note is never archived by the policy. */
    exemptWithConfoundNote: z.boolean(),
    /** A lesson whose frontmatter sets this flag (truthy) is never archived by the policy. */
    exemptFlag: z.string().min(1),
  })
  .refine((r) => r.flagMeanLow <= r.flagMeanHigh, { message: 'flagMeanLow must not exceed flagMeanHigh', path: ['flagMeanLow'] });
export type BanditRules = z.infer<typeof banditRulesSchema>;

export const DEFAULT_BANDIT_RULES: BanditRules = Object.freeze({
  ruleSetId: DEFAULT_POLICY_RULE_SET_ID,
  ruleSetVersion: 1,
  priorAlpha: 1,
  priorBeta: 1,
  gamma: 1,
  salienceWeighting: false,
  minContextCount: 10,
  topK: 3,
  holdoutRate: 0.1,
  inclusionDraws: 1000,
  thetaFloor: 0,
  credibleLevel: 0.9,
  archiveBelowMean: 0.4,
  archiveMinRewards: 30,
  promoteAboveLower: 0.6,
  promoteMinRewards: 30,
  flagMeanLow: 0.4,
  flagMeanHigh: 0.6,
  flagMinRewards: 30,
  flagMaxIntervalWidth: 0.15,
  policyDecidesOn: 'reward',
  policyEffectMinOutcomes: 100,
  policyEffectLevel: 0.95,
  exemptCategories: ['safety'],
  exemptWithConfoundNote: true,
  exemptFlag: 'policy_exempt',
}) as BanditRules;

/** Rules that identify the rule set (taken from its RuleSetDefined event), not parameters a rule set gives. */
export const RULE_SET_IDENTITY_RULES: readonly string[] = ['ruleSetId', 'ruleSetVersion'];

/** The names a rule set may give the bandit and the lifecycle policy: every default but the identity. */
export const BANDIT_RULE_PARAMETERS: readonly string[] = Object.keys(DEFAULT_BANDIT_RULES).filter(
  (name) => !RULE_SET_IDENTITY_RULES.includes(name),
);

/** Defaults overridden by whatever known parameters are given; refuses values of the wrong kind. */
export function banditRules(overrides: Record<string, unknown> = {}): BanditRules {
  const merged: Record<string, unknown> = { ...DEFAULT_BANDIT_RULES };
  for (const name of Object.keys(DEFAULT_BANDIT_RULES)) if (name in overrides) merged[name] = overrides[name];
  return banditRulesSchema.parse(merged);
}
