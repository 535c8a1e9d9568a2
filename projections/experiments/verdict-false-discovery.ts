/**
 * False-discovery control and power over experiment verdicts. One day's lesson changes, each with an overall
 * estimate and one per clean model, test many hypotheses at once; at p < 0.05 each, some are "significant"
 * by chance. Here, within a family of experiments (the rule set's `verdictFdrFamily`: the lesson changes of
 * one UTC day, or all), the overall estimates form one family and the per-model estimates another, each
 * corrected with Benjamini–Hochberg (or –Yekutieli): every estimate gets its q value, and `significant`
 * becomes q <= verdictFdrLevel ('none': p < significanceLevel, as before). Every estimate also gets its
 * minimum detectable effect: the smallest change of the affected pass rate its before/after table detects
 * with power `verdictPower` at the level the verdict must meet (two-sided: half of it on each side; under BH
 * q / (2m), under BY q / (2 m H(m))). Short-of-data verdicts say how much more data a `targetEffect` change
 * needs (data-needed.ts). Pure.
 */
import { guaranteedLevel, minimumDetectableDrop } from '../stats/detectable-drop.js';
import { qValues } from '../stats/false-discovery.js';
import type { EffectEstimate } from './effect-estimate.js';
import type { ExperimentRules } from './experiment-rules.js';

interface Verdict {
  family: string;
  estimate: EffectEstimate;
}

/** Experiments as `analyzeExperiments` builds them: only the fields this correction reads and writes. */
interface Correctable {
  at: string;
  overall?: EffectEstimate;
  perModel?: Record<string, EffectEstimate>;
}

/** Adds q, the corrected `significant` and the MDE to every estimate, in place of the uncorrected flag. */
export function correctVerdicts<T extends Correctable>(experiments: readonly T[], rules: ExperimentRules): T[] {
  const familyOf = (e: Correctable) => (rules.verdictFdrFamily === 'all' ? '' : e.at.slice(0, 10));
  const overall: Verdict[] = [];
  const perModel: Verdict[] = [];
  const out = experiments.map((e) => {
    if (!e.overall) return e;
    const copy = { ...e, overall: { ...e.overall }, perModel: Object.fromEntries(Object.entries(e.perModel ?? {}).map(([m, x]) => [m, { ...x }])) };
    overall.push({ family: familyOf(e), estimate: copy.overall });
    for (const estimate of Object.values(copy.perModel)) perModel.push({ family: familyOf(e), estimate });
    return copy;
  });
  correctFamilies(overall, rules);
  correctFamilies(perModel, rules);
  return out;
}

function correctFamilies(verdicts: readonly Verdict[], rules: ExperimentRules): void {
  const families = new Map<string, Verdict[]>();
  for (const v of verdicts) (families.get(v.family) ?? families.set(v.family, []).get(v.family)!).push(v);
  for (const members of families.values()) {
    const p = members.map((v) => v.estimate.fisherP);
    const corrected = rules.verdictFdrMethod !== 'none';
    const q = corrected ? qValues(p, rules.verdictFdrMethod as 'bh' | 'by') : p;
    const level = corrected ? guaranteedLevel(rules.verdictFdrMethod, rules.verdictFdrLevel, members.length) : rules.significanceLevel;
    members.forEach((v, i) => {
      v.estimate.q = q[i]!;
      v.estimate.significant = corrected ? q[i]! <= rules.verdictFdrLevel : p[i]! < rules.significanceLevel;
      v.estimate.minimumDetectableEffect = detectableEffect(v.estimate, level / 2, rules.verdictPower);
    });
  }
}

/** The smallest change of the affected pass rate detected on one side at `level` (the lower side: a drop). */
function detectableEffect(e: EffectEstimate, level: number, power: number): number | null {
  const before = e.affectedBefore.passed + e.affectedBefore.failed;
  const after = e.affectedAfter.passed + e.affectedAfter.failed;
  // A rise is a drop of the failures: test the side with more room, as the two-sided test would find either.
  const passes = e.affectedBefore.passed >= e.affectedBefore.failed ? e.affectedBefore.passed : e.affectedBefore.failed;
  return minimumDetectableDrop([{ baselineAttempts: before, baselinePasses: passes, recentAttempts: after, recentPasses: 0 }], level, power);
}
