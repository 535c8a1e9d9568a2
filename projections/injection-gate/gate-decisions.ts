/**
 * The injection gate from the `injection-gate` documents: per (model, eval) pair, the pass rate with lessons
 * against without (coin-withheld and, if the rules say so, run-holdout outcomes, each source counted apart),
 * the delta, Fisher's two-sided exact p, its q-value over the pairs tested, and a recommendation: `inject` or
 * `suppress` only when q <= gateFdrLevel, else `default`. Per lesson likewise, within one pair. Pure.
 */
import { qValues } from '../stats/false-discovery.js';
import { fisherTwoSided } from '../stats/fisher.js';
import type { InjectionGateRules } from './gate-rules.js';
import type { GateObservation, InjectionGateDoc, LessonArm, PairArm } from './gate-observations.js';

export type GateRecommendation = 'inject' | 'suppress' | 'default';

export interface GateArm {
  n: number;
  passes: number;
  passRate: number | null;
}

export interface GateContrast {
  withLessons: GateArm;
  withoutLessons: GateArm & { sources: { coin: number; 'run-holdout': number } };
  /** with - without. */
  delta: number | null;
  /** Fisher two-sided; null when an arm has fewer than gateMinOutcomesPerArm outcomes (not tested). */
  p: number | null;
  q: number | null;
  recommendation: GateRecommendation;
  evidence: { withLessons: [string, string][]; withoutLessons: [string, string, 'coin' | 'run-holdout'][] };
}

export interface PairGate extends GateContrast {
  model: string;
  test: string;
  infraErrorsExcluded: number;
}

type Side = 'with' | 'coin' | 'run-holdout' | null;

function contrast(outcomes: [string, GateObservation][], side: (o: GateObservation) => Side, rules: InjectionGateRules): GateContrast {
  const w: GateArm = { n: 0, passes: 0, passRate: null };
  const wo = { n: 0, passes: 0, passRate: null as number | null, sources: { coin: 0, 'run-holdout': 0 } };
  const evidence: GateContrast['evidence'] = { withLessons: [], withoutLessons: [] };
  for (const [id, o] of outcomes) {
    const s = side(o);
    if (s === null || (s === 'run-holdout' && rules.gateHoldoutSources === 'coin')) continue;
    const arm = s === 'with' ? w : wo;
    arm.n += 1;
    arm.passes += o[2];
    if (s === 'with') evidence.withLessons.push([id, o[0]]);
    else {
      wo.sources[s] += 1;
      evidence.withoutLessons.push([id, o[0], s]);
    }
  }
  w.passRate = w.n > 0 ? w.passes / w.n : null;
  wo.passRate = wo.n > 0 ? wo.passes / wo.n : null;
  const delta = w.passRate !== null && wo.passRate !== null ? w.passRate - wo.passRate : null;
  const tested = w.n >= rules.gateMinOutcomesPerArm && wo.n >= rules.gateMinOutcomesPerArm;
  const p = tested ? fisherTwoSided(w.passes, w.n - w.passes, wo.passes, wo.n - wo.passes) : null;
  return { withLessons: w, withoutLessons: wo, delta, p, q: null, recommendation: 'default', evidence };
}

/** With lessons: coin-injected (and, with run-holdouts counted, injected without a coin). */
function pairSide(rules: InjectionGateRules) {
  return (o: GateObservation): Side => {
    const arm: PairArm | null = o[1];
    if (arm === 'on-coin' || (arm === 'on' && rules.gateHoldoutSources !== 'coin')) return 'with';
    return arm === 'off-coin' ? 'coin' : arm === 'off-run-holdout' ? 'run-holdout' : null;
  };
}

function lessonSide(ref: string, rules: InjectionGateRules) {
  return (o: GateObservation): Side => {
    const arm: LessonArm | undefined = o[3].find(([r]) => r === ref)?.[1];
    if (arm === 'I' || (arm === 'i' && rules.gateHoldoutSources !== 'coin')) return 'with';
    return arm === 'W' ? 'coin' : arm === 'R' ? 'run-holdout' : null;
  };
}

/** q-values over the tested contrasts (a family), then the recommendations they allow. */
function decide<C extends GateContrast>(contrasts: C[], rules: InjectionGateRules): C[] {
  const tested = contrasts.filter((c) => c.p !== null);
  const q = qValues(tested.map((c) => c.p!), rules.gateFdrMethod);
  tested.forEach((c, i) => {
    c.q = q[i]!;
    if (c.q <= rules.gateFdrLevel && c.delta !== null && c.delta !== 0) c.recommendation = c.delta > 0 ? 'inject' : 'suppress';
  });
  return contrasts;
}

const sortedOutcomes = (doc: InjectionGateDoc) => Object.entries(doc.outcomes).sort(([, a], [, b]) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));

/** Every pair's gate; the family for the q-values is every pair tested. */
export function pairGates(docs: readonly InjectionGateDoc[], rules: InjectionGateRules): PairGate[] {
  const side = pairSide(rules);
  const gates = docs.map((doc) => ({ model: doc.model, test: doc.test, infraErrorsExcluded: doc.infraErrorsExcluded, ...contrast(sortedOutcomes(doc), side, rules) }));
  return decide(gates, rules).sort((a, b) => (a.model === b.model ? (a.test < b.test ? -1 : 1) : a.model < b.model ? -1 : 1));
}

/** Each lesson's own contrast within one pair (the family: that pair's lessons tested). */
export function lessonGates(doc: InjectionGateDoc, rules: InjectionGateRules): (GateContrast & { lessonRef: string })[] {
  const outcomes = sortedOutcomes(doc);
  const refs = [...new Set(outcomes.flatMap(([, o]) => o[3].map(([ref]) => ref)))].sort();
  return decide(refs.map((lessonRef) => ({ lessonRef, ...contrast(outcomes, lessonSide(lessonRef, rules), rules) })), rules);
}
