/**
 * One window of days: which (signature, test family) clusters are recurring patterns. A cluster is a candidate
 * when it reaches the rules' runs, models and failures, is no infra signature and sits on no flaky test; it is
 * a pattern when its rate on the family is enriched over the signature's rate on every other family (one-sided
 * Fisher, at least `draftMinEnrichment` times) with Benjamini–Hochberg control over the window's candidates.
 * Pure.
 */
import { fisherOneSidedGreater } from '../stats/fisher.js';
import { qValues } from '../stats/false-discovery.js';
import { flipRate } from '../stats/flips.js';
import type { DraftRules } from './draft-rules.js';
import type { FailureFact, OutcomeFact } from './pattern-facts.js';
import { isInfraSignature } from './signatures.js';

export interface WindowDay {
  /** Non-infra outcomes per test family. */
  familyOutcomes: Map<string, number>;
  /** Each (model, test) series' outcomes of the day: [time in ms, passed]. */
  series: Map<string, [number, boolean][]>;
  failures: FailureFact[];
}

export interface WindowPattern {
  key: string;
  family: string;
  failures: FailureFact[];
  runs: number;
  models: number;
  familyOutcomes: number;
  backgroundRate: number;
  pValue: number;
  qValue: number;
}

export interface WindowExclusions {
  infra: string[];
  flaky: string[];
  notEnriched: string[];
}

export function newWindowDay(): WindowDay {
  return { familyOutcomes: new Map(), series: new Map(), failures: [] };
}

export function addOutcomeToDay(day: WindowDay, outcome: OutcomeFact, family: string): void {
  if (outcome.suspectedInfraError) return;
  day.familyOutcomes.set(family, (day.familyOutcomes.get(family) ?? 0) + 1);
  const seriesKey = `${outcome.model}\u0000${outcome.test}`;
  const list = day.series.get(seriesKey) ?? [];
  list.push([outcome.timeMs, outcome.passed]);
  day.series.set(seriesKey, list);
}

export const clusterKey = (signatureKey: string, family: string) => `${signatureKey}|${family}`;

export function analyseWindow(days: readonly WindowDay[], rules: DraftRules): { patterns: WindowPattern[]; excluded: WindowExclusions } {
  const familyTotals = new Map<string, number>();
  let total = 0;
  const signatureTotals = new Map<string, number>();
  const clusters = new Map<string, { family: string; failures: FailureFact[] }>();
  const series = new Map<string, [number, boolean][]>();
  for (const day of days) {
    for (const [family, n] of day.familyOutcomes) {
      familyTotals.set(family, (familyTotals.get(family) ?? 0) + n);
      total += n;
    }
    for (const [key, list] of day.series) {
      const all = series.get(key);
      if (all) all.push(...list);
      else series.set(key, [...list]);
    }
    for (const failure of day.failures) {
      const key = failure.signature.key;
      signatureTotals.set(key, (signatureTotals.get(key) ?? 0) + 1);
      const ck = clusterKey(key, failure.family);
      const cluster = clusters.get(ck) ?? { family: failure.family, failures: [] };
      cluster.failures.push(failure);
      clusters.set(ck, cluster);
    }
  }
  const excluded: WindowExclusions = { infra: [], flaky: [], notEnriched: [] };
  const candidates: WindowPattern[] = [];
  for (const [key, cluster] of [...clusters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const runs = new Set(cluster.failures.map((f) => f.outcome.runId)).size;
    const models = new Set(cluster.failures.map((f) => f.outcome.model)).size;
    const a = cluster.failures.length;
    if (runs < rules.draftMinRuns || models < rules.draftMinModels || a < rules.draftMinFailures) continue;
    const signature = cluster.failures[0]!.signature;
    if (isInfraSignature(signature.key) || isInfraSignature(signature.excerpt)) {
      excluded.infra.push(key);
      continue;
    }
    if (pooledFlipRate(cluster.failures, series) > rules.draftMaxFlipRate) {
      excluded.flaky.push(key);
      continue;
    }
    const n1 = familyTotals.get(cluster.family) ?? a;
    const c = (signatureTotals.get(signature.key) ?? a) - a;
    const n2 = total - n1;
    const inside = a / Math.max(n1, a);
    const elsewhere = n2 > 0 ? c / n2 : 0;
    // Rows: elsewhere (baseline), the family (recent); columns: carries the signature, does not.
    const pValue = fisherOneSidedGreater(c, Math.max(n2 - c, 0), a, Math.max(n1 - a, 0));
    if (inside < rules.draftMinEnrichment * elsewhere) {
      excluded.notEnriched.push(key);
      continue;
    }
    candidates.push({ key, family: cluster.family, failures: cluster.failures, runs, models, familyOutcomes: n1, backgroundRate: elsewhere, pValue, qValue: 1 });
  }
  const q = qValues(candidates.map((c) => c.pValue));
  const patterns: WindowPattern[] = [];
  candidates.forEach((candidate, i) => {
    candidate.qValue = q[i]!;
    if (candidate.qValue <= rules.draftFdrLevel) patterns.push(candidate);
    else excluded.notEnriched.push(candidate.key);
  });
  return { patterns, excluded };
}

/**
 * How often the (model, test) series a cluster's failures sit on flip between pass and fail over the window,
 * pooled over the series (flips / transitions): a flaky test flips about every other run, a pattern once or
 * twice where it starts and stops.
 */
function pooledFlipRate(failures: readonly FailureFact[], series: ReadonlyMap<string, [number, boolean][]>): number {
  let flips = 0;
  let transitions = 0;
  for (const key of new Set(failures.map((f) => `${f.outcome.model}\u0000${f.outcome.test}`))) {
    const results = (series.get(key) ?? []).slice().sort((x, y) => x[0] - y[0]).map(([, passed]) => passed);
    if (results.length < 3) continue;
    flips += flipRate(results) * (results.length - 1);
    transitions += results.length - 1;
  }
  return transitions === 0 ? 0 : flips / transitions;
}
