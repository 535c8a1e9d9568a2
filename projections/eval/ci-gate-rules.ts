/**
 * The CI gate's rules as a rule set gives them (rule family `ci-gate`): `ciGateFdrMethod`, `ciGateFdrLevel`,
 * `ciGateMinDrop` and `ciGateFlaky`, at the top level or in a `ci-gate` block, so a rule set can gate with BY,
 * another level, a minimum drop or flaky series left apart, and be compared with the uncorrected one
 * (`ciGateFdrMethod: 'none'`). The flaky thresholds are the trends' own (the rule set's trends instance). Pure.
 */
import { z } from 'zod';
import type { RuleValues } from '../machinery/projection.js';
import { ciGateRulesSchema, DEFAULT_CI_GATE_RULES, type CiGateRules } from './ci-gate.js';

export const CI_GATE_FAMILY = 'ci-gate';

const { fdrMethod, fdrLevel, minDrop, flaky } = ciGateRulesSchema.shape;
/** Parsed under the names a rule set spells, so a refusal names the parameter as given. */
const ruleSetSchema = z.strictObject({ ciGateFdrMethod: fdrMethod, ciGateFdrLevel: fdrLevel, ciGateMinDrop: minDrop, ciGateFlaky: flaky });
const DEFAULTS: z.infer<typeof ruleSetSchema> = {
  ciGateFdrMethod: DEFAULT_CI_GATE_RULES.fdrMethod,
  ciGateFdrLevel: DEFAULT_CI_GATE_RULES.fdrLevel,
  ciGateMinDrop: DEFAULT_CI_GATE_RULES.minDrop,
  ciGateFlaky: DEFAULT_CI_GATE_RULES.flaky,
};
export const CI_GATE_PARAMETERS: readonly string[] = Object.keys(DEFAULTS);

/** The defaults, overridden by a rule set's top-level names, then by its `ci-gate` block; strictly parsed. */
export function resolveCiGateRules(parameters?: RuleValues | null, thresholds?: Pick<CiGateRules, 'flakyFlipRate' | 'flakyEntropy'>): CiGateRules {
  const merged: RuleValues = { ...DEFAULTS };
  const block = parameters?.[CI_GATE_FAMILY];
  const own = block !== null && typeof block === 'object' && !Array.isArray(block) ? (block as RuleValues) : undefined;
  for (const layer of [parameters ?? undefined, own]) {
    if (!layer) continue;
    for (const name of CI_GATE_PARAMETERS) if (name in layer) merged[name] = layer[name];
  }
  const r = ruleSetSchema.parse(merged);
  return { ...DEFAULT_CI_GATE_RULES, ...thresholds, fdrMethod: r.ciGateFdrMethod, fdrLevel: r.ciGateFdrLevel, minDrop: r.ciGateMinDrop, flaky: r.ciGateFlaky };
}
