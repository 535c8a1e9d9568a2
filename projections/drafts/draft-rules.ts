/**
 * Rule parameters of lesson-draft detection (a rule set overrides them by name or under `lesson-drafts`):
 * when a failure signature on a test family is a recurring pattern worth a lesson, and how its keywords are
 * chosen. Pure.
 */
import { z } from 'zod';
import type { RuleValues } from '../machinery/projection.js';

export const DRAFT_RULE_FAMILY = 'lesson-drafts';

export const draftRulesSchema = z.strictObject({
  /** Days a window spans; windows start every `draftWindowStepDays` days (UTC days since the epoch). */
  draftWindowDays: z.int().min(1).max(366),
  draftWindowStepDays: z.int().min(1).max(366),
  /** Within one window: at least this many runs, models and failing outcomes carry the signature on the family. */
  draftMinRuns: z.int().min(1),
  draftMinModels: z.int().min(1),
  draftMinFailures: z.int().min(1),
  /** The family's rate of the signature must be at least this many times its rate on every other family. */
  draftMinEnrichment: z.number().min(1),
  /** Benjamini–Hochberg level over one window's candidate patterns (one-sided Fisher p, family vs elsewhere). */
  draftFdrLevel: z.number().gt(0).lt(1),
  /** A pattern whose (model, test) series flip pass/fail more often than this in the window is a flaky test. */
  draftMaxFlipRate: z.number().min(0).max(1),
  /** Keywords: each must match at most this share of sampled passing logs, together at least `draftMinKeywordCover` of failing ones. */
  draftMaxPassingShare: z.number().min(0).max(1),
  draftMinKeywordCover: z.number().min(0).max(1),
  /** Passing logs sampled per pattern to judge keywords against. */
  draftPassingSample: z.int().min(0).max(10_000),
});
export type DraftRules = z.infer<typeof draftRulesSchema>;

export const DEFAULT_DRAFT_RULES: DraftRules = {
  draftWindowDays: 14,
  draftWindowStepDays: 7,
  draftMinRuns: 3,
  draftMinModels: 2,
  draftMinFailures: 6,
  draftMinEnrichment: 10,
  draftFdrLevel: 0.05,
  draftMaxFlipRate: 0.35,
  draftMaxPassingShare: 0.05,
  draftMinKeywordCover: 0.6,
  draftPassingSample: 60,
};

export const DRAFT_RULE_PARAMETERS: readonly string[] = Object.keys(DEFAULT_DRAFT_RULES);

/** Defaults, overridden by a rule set's top-level names, then by its `lesson-drafts` block; strictly parsed. */
export function resolveDraftRules(parameters?: RuleValues | null): DraftRules {
  const merged: RuleValues = { ...DEFAULT_DRAFT_RULES };
  const block = parameters?.[DRAFT_RULE_FAMILY];
  const own = block !== null && typeof block === 'object' && !Array.isArray(block) ? (block as RuleValues) : undefined;
  for (const layer of [parameters ?? undefined, own]) {
    if (!layer) continue;
    for (const name of DRAFT_RULE_PARAMETERS) if (name in layer) merged[name] = layer[name];
  }
  const rules = draftRulesSchema.parse(merged);
  if (rules.draftWindowStepDays > rules.draftWindowDays) {
    throw new z.ZodError([{ code: 'custom', path: ['draftWindowStepDays'], message: 'must not exceed draftWindowDays', input: rules.draftWindowStepDays }]);
  }
  return rules;
}
