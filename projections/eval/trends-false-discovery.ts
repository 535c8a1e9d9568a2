/**
 * False-discovery control over the statistical trend labels. Every series tests two one-sided hypotheses, so
 * an instance with hundreds of series flags some at p < alpha by chance alone; here the regressions and the
 * improvements of a family of series are each corrected with Benjamini–Hochberg (or –Yekutieli), and a label
 * stands only when its q-value is at most `fdrLevel`; otherwise it falls through to flaky / stable exactly as
 * the uncorrected classifier's does. Query-time rules, never projection rules: they change no stored document,
 * so they need no instance of their own and leave the instances already built (and their stored rules) alone.
 * Pure.
 */
import { z } from 'zod';
import type { RuleValues } from '../machinery/projection.js';
import { guaranteedLevel, minimumDetectableDrop } from '../stats/detectable-drop.js';
import { qValues } from '../stats/false-discovery.js';
import { statisticalLabel, type StatisticalTrendEntry } from './trends-statistical.js';
import type { StatisticalRules } from './trends.js';

/** The rule family's name: its parameters may also be given as `{"trends-fdr": {...}}`. */
export const TRENDS_FDR_FAMILY = 'trends-fdr';

export const trendsFdrRulesSchema = z.strictObject({
  /** 'none': the uncorrected labels (p < alpha); 'bh': Benjamini–Hochberg; 'by': Benjamini–Yekutieli. */
  fdrMethod: z.enum(['none', 'bh', 'by']),
  /** The false-discovery level q a corrected label must meet (q-value <= fdrLevel). */
  fdrLevel: z.number().gt(0).lt(1),
  /** 'run': the series whose latest run is the same run form a family; 'all': every series of the instance. */
  fdrFamily: z.enum(['all', 'run']),
  /** The power the minimum detectable drops (`mde_regression`) are reported at. */
  mdePower: z.number().gt(0).lt(1),
});
export type TrendsFdrRules = z.infer<typeof trendsFdrRulesSchema>;

/**
 * BH over one run's series at q = 0.05: a run is what a reader looks at ("what did this run break?"), its
 * series are tested together, and BH's guarantee (at most 5% of that run's flags false on average) holds
 * under the positive dependence series of one run share (same model, same day). 'all' would make a series'
 * label depend on unrelated runs' series, and BY's log(m) penalty costs power the run family rarely needs.
 */
export const DEFAULT_TRENDS_FDR_RULES: TrendsFdrRules = { fdrMethod: 'bh', fdrLevel: 0.05, fdrFamily: 'run', mdePower: 0.8 };

export const TRENDS_FDR_PARAMETERS: readonly string[] = Object.keys(DEFAULT_TRENDS_FDR_RULES);

/** Defaults, overridden by a rule set's top-level names, then by its `trends-fdr` block; strictly parsed. */
export function resolveTrendsFdrRules(parameters?: RuleValues | null): TrendsFdrRules {
  const merged: RuleValues = { ...DEFAULT_TRENDS_FDR_RULES };
  const block = parameters?.[TRENDS_FDR_FAMILY];
  const own = block !== null && typeof block === 'object' && !Array.isArray(block) ? (block as RuleValues) : undefined;
  for (const layer of [parameters ?? undefined, own]) {
    if (!layer) continue;
    for (const name of TRENDS_FDR_PARAMETERS) if (name in layer) merged[name] = layer[name];
  }
  return trendsFdrRulesSchema.parse(merged);
}

export interface CorrectedTrendEntry extends StatisticalTrendEntry {
  /** Step-up adjusted p-values within the entry's family (null where p is null; p itself under 'none'). */
  q_regression: number | null;
  q_improvement: number | null;
  /**
   * The smallest drop of the recent pass rate this series' data could flag with power `mdePower` at the level
   * its label must meet (detectable-drop.ts); null when no drop could be (too few runs for the family's level).
   */
  mde_regression: number | null;
}

/** The entries of a whole instance (never a page of them), with q-values and the labels the correction leaves. */
export function correctTrendLabels(
  entries: readonly StatisticalTrendEntry[],
  rules: StatisticalRules,
  fdr: TrendsFdrRules,
): CorrectedTrendEntry[] {
  const families = trendFamilies(entries, fdr);
  const mde = new Array<number | null>(entries.length).fill(null);
  for (const members of families) {
    const tested = members.filter((i) => entries[i]!.p_regression !== null);
    const level = fdr.fdrMethod === 'none' ? rules.alpha : guaranteedLevel(fdr.fdrMethod, fdr.fdrLevel, tested.length);
    for (const i of tested) mde[i] = seriesDetectableDrop(entries[i]!, level, fdr.mdePower);
  }
  if (fdr.fdrMethod === 'none') return entries.map((e, i) => ({ ...e, q_regression: e.p_regression, q_improvement: e.p_improvement, mde_regression: mde[i] ?? null }));
  const method = fdr.fdrMethod;
  const qReg = new Array<number | null>(entries.length).fill(null);
  const qImp = new Array<number | null>(entries.length).fill(null);
  for (const members of families) {
    for (const [p, q] of [['p_regression', qReg], ['p_improvement', qImp]] as const) {
      const tested = members.filter((i) => entries[i]![p] !== null);
      qValues(tested.map((i) => entries[i]![p]!), method).forEach((value, k) => (q[tested[k]!] = value));
    }
  }
  return entries.map((e, i) => {
    const qr = qReg[i] ?? null;
    const qi = qImp[i] ?? null;
    const significant = { regression: qr !== null && qr <= fdr.fdrLevel, improvement: qi !== null && qi <= fdr.fdrLevel };
    return { ...e, label: statisticalLabel(e, significant, rules), q_regression: qr, q_improvement: qi, mde_regression: mde[i] ?? null };
  });
}

/** The entries' indices by family: one run's series ('run') or the whole instance ('all'). */
export function trendFamilies(entries: readonly StatisticalTrendEntry[], fdr: Pick<TrendsFdrRules, 'fdrFamily'>): number[][] {
  const families = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const key = fdr.fdrFamily === 'all' ? '' : (e.latest_run ?? '');
    const members = families.get(key) ?? [];
    members.push(i);
    families.set(key, members);
  });
  return [...families.values()];
}

function seriesDetectableDrop(e: StatisticalTrendEntry, level: number, power: number): number | null {
  const stratum = { baselineAttempts: e.baseline.attempts, baselinePasses: e.baseline.passes, recentAttempts: e.recent.attempts, recentPasses: e.recent.passes };
  return minimumDetectableDrop([stratum], level, power);
}
