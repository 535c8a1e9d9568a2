/**
 * The rule parameters of experiment windows. A rule set (`RuleSetDefined.parameters`) overrides any of them by
 * name, or under `parameters.experiments`; names are prefixed enough not to collide with other projections'.
 */
import { z } from 'zod';
import { CHANGE_KINDS, type ChangeKind } from '../domain-changes/change-timeline.js';
import { resolveRules, type ProjectionBase, type RuleValues } from '../machinery/projection.js';

export const experimentRulesSchema = z.strictObject({
  /** A change of a confounding kind within this many hours of a lesson change (either side) confounds it. */
  confoundWindowHours: z.number().positive(),
  confoundingKinds: z.array(z.enum(CHANGE_KINDS)),
  /** Clean outcomes (infra errors excluded) on affected tests needed before and after. */
  minCleanBefore: z.number().int().nonnegative(),
  minCleanAfter: z.number().int().nonnegative(),
  /** Length of the before window and of the after window, in hours. */
  experimentWindowHours: z.number().positive(),
  /** `keywords`: tests whose name matches one of the lesson's keywords (or its category); `all`: every test. */
  affectedTests: z.enum(['keywords', 'all']),
  significanceLevel: z.number().gt(0).lt(1),
  /**
   * False-discovery control over the verdicts of a family of experiments (verdict-false-discovery.ts): 'none'
   * keeps p < significanceLevel; 'bh' / 'by' flag q <= verdictFdrLevel.
   */
  verdictFdrMethod: z.enum(['none', 'bh', 'by']),
  verdictFdrLevel: z.number().gt(0).lt(1),
  /** 'day': the experiments of lesson changes on the same UTC day form a family; 'all': every experiment. */
  verdictFdrFamily: z.enum(['day', 'all']),
  /** The power of the reported minimum detectable effects and of the data an insufficient verdict needs. */
  verdictPower: z.number().gt(0).lt(1),
  /** The pass-rate change an `insufficient-data` verdict says how much more data would detect. */
  targetEffect: z.number().gt(0).lt(1),
});
export type ExperimentRules = z.infer<typeof experimentRulesSchema>;

export const DEFAULT_CONFOUNDING_KINDS: ChangeKind[] = [
  'lesson-created',
  'lesson-edit',
  'lesson-match',
  'lesson-status',
  'lesson-deleted',
  'model-api',
  'harness',
  'harness-commit',
  'model-version',
];

export const DEFAULT_EXPERIMENT_RULES: ExperimentRules = {
  confoundWindowHours: 24,
  confoundingKinds: DEFAULT_CONFOUNDING_KINDS,
  minCleanBefore: 2,
  minCleanAfter: 2,
  experimentWindowHours: 72,
  affectedTests: 'keywords',
  significanceLevel: 0.05,
  verdictFdrMethod: 'bh',
  verdictFdrLevel: 0.05,
  verdictFdrFamily: 'day',
  verdictPower: 0.8,
  targetEffect: 0.2,
};

/** The name of the experiment rules' own block in a rule set's parameters (`parameters.experiments`). */
export const EXPERIMENT_RULES_NAME = 'experiments';

/** Not a projection the engine runs: the analysis' rule identity, so `resolveRules` layers rule sets the same way. */
const experimentRulesHolder: ProjectionBase<ExperimentRules> = {
  name: EXPERIMENT_RULES_NAME,
  version: 1,
  eventTypes: [],
  defaultRules: DEFAULT_EXPERIMENT_RULES,
  parseRules: (merged) => experimentRulesSchema.parse(merged),
};

export function experimentRules(ruleSetParameters?: RuleValues | null): ExperimentRules {
  return resolveRules(experimentRulesHolder, ruleSetParameters ?? undefined);
}
