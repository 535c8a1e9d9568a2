/**
 * The injection gate's rules, a query-time rule family (`injection-gate`): they change no stored document, so one
 * projection instance answers every rule set. A recommendation other than `default` needs the pair's contrast to
 * be significant after false-discovery control over the family of (model, eval) pairs tested. Pure.
 */
import { z } from 'zod';
import type { RuleValues } from '../machinery/projection.js';

export const INJECTION_GATE_FAMILY = 'injection-gate';

export const injectionGateRulesSchema = z.strictObject({
  /** Which lessons-off outcomes count: coin-withheld only (a randomized contrast), or run-holdouts too. */
  gateHoldoutSources: z.enum(['coin', 'coin-and-run-holdout']),
  /** Benjamini–Hochberg or –Yekutieli over the pairs tested. */
  gateFdrMethod: z.enum(['bh', 'by']),
  /** A pair is inject or suppress only when its q-value is at most this. */
  gateFdrLevel: z.number().gt(0).lt(1),
  /** A pair is tested only with at least this many outcomes with lessons and without. */
  gateMinOutcomesPerArm: z.number().int().min(1),
});
export type InjectionGateRules = z.infer<typeof injectionGateRulesSchema>;

export const DEFAULT_INJECTION_GATE_RULES: InjectionGateRules = {
  gateHoldoutSources: 'coin-and-run-holdout',
  gateFdrMethod: 'bh',
  gateFdrLevel: 0.1,
  gateMinOutcomesPerArm: 5,
};

export const INJECTION_GATE_PARAMETERS: readonly string[] = Object.keys(DEFAULT_INJECTION_GATE_RULES);

/** Defaults, overridden by a rule set's top-level names, then by its `injection-gate` block; strictly parsed. */
export function resolveInjectionGateRules(parameters?: RuleValues | null): InjectionGateRules {
  const merged: RuleValues = { ...DEFAULT_INJECTION_GATE_RULES };
  const block = parameters?.[INJECTION_GATE_FAMILY];
  const own = block !== null && typeof block === 'object' && !Array.isArray(block) ? (block as RuleValues) : undefined;
  for (const layer of [parameters ?? undefined, own]) {
    if (!layer) continue;
    for (const name of INJECTION_GATE_PARAMETERS) if (name in layer) merged[name] = layer[name];
  }
  return injectionGateRulesSchema.parse(merged);
}
