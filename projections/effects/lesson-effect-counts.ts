/**
 * What a `lesson-effects` document counts per lesson (or lesson revision): pass counts by stratum and arm, the
 * inverse-propensity sums and the infra errors left out; and the same counts with their evidence (each
 * outcome's observation), which is what the estimators read. The evidence is stored as rows
 * (lesson-effect-evidence.ts), never in the document. Pure.
 */
import type { ArmCounts } from './arm-counts.js';
import type { EffectRules } from './effect-rules.js';
import { addIpwOutcome, emptyIpwSums, type IpwSums } from './snipw.js';

/** I: injected after a coin; W: withheld by the coin; i: injected, no coin; w: withheld otherwise. */
export type EffectArm = 'I' | 'W' | 'i' | 'w';

export interface StratumArms {
  coinInjected: ArmCounts;
  coinWithheld: ArmCounts;
  injected: ArmCounts;
  notInjected: ArmCounts;
}

/** The stored document of a lesson key: small, whatever the lesson's history. */
export interface LessonEffectCounts {
  lessonRef: string;
  revision: number | null;
  strata: Record<string, StratumArms>;
  ipw: IpwSums;
  infraErrorsExcluded: number;
  /** Outcomes counted (one evidence row each). */
  outcomes: number;
}

/** The counts with their evidence: what the estimators (estimate-effects.ts) read. */
export interface LessonEffectDoc extends LessonEffectCounts {
  /** outcome event id -> the observation (what the counts were made of; `asOf` recounts from it). */
  evidence: Record<string, Observation>;
}

/** [global position, arm, logged propensity or null, stratum, passed (1) or not (0), occurredAt]. */
export type Observation = [string, EffectArm, number | null, string, 0 | 1, string];

export function emptyCounts(lessonRef: string, revision: number | null): LessonEffectCounts {
  return { lessonRef, revision, strata: {}, ipw: emptyIpwSums(), infraErrorsExcluded: 0, outcomes: 0 };
}

const emptyArms = (): StratumArms => ({
  coinInjected: { n: 0, passes: 0 },
  coinWithheld: { n: 0, passes: 0 },
  injected: { n: 0, passes: 0 },
  notInjected: { n: 0, passes: 0 },
});

function count(arm: ArmCounts, passed: boolean): void {
  arm.n += 1;
  if (passed) arm.passes += 1;
}

function copyArms(arms: StratumArms): StratumArms {
  return { coinInjected: { ...arms.coinInjected }, coinWithheld: { ...arms.coinWithheld }, injected: { ...arms.injected }, notInjected: { ...arms.notInjected } };
}

function copyIpw(ipw: IpwSums): IpwSums {
  return { ...ipw, treated: { ...ipw.treated }, control: { ...ipw.control } };
}

/** Counts one observation in (a copy: the small parts are copied, nothing is shared with `doc`). */
export function countObservation<D extends LessonEffectCounts>(doc: D, observation: Observation, rules: EffectRules): D {
  const [, arm, propensity, stratum, passed] = observation;
  const next: D = { ...doc, strata: { ...doc.strata }, ipw: copyIpw(doc.ipw), outcomes: doc.outcomes + 1 };
  const before = doc.strata[stratum];
  const arms = (next.strata[stratum] = before ? copyArms(before) : emptyArms());
  const injected = arm === 'I' || arm === 'i';
  if (arm === 'I') count(arms.coinInjected, passed === 1);
  if (arm === 'W') count(arms.coinWithheld, passed === 1);
  count(injected ? arms.injected : arms.notInjected, passed === 1);
  if (propensity !== null) addIpwOutcome(next.ipw, injected, propensity, passed === 1, rules.effectPropensityClip);
  return next;
}

/** Counts one observation in, with its evidence. The evidence map is extended in place (copying it would make a
 * recount quadratic in a lesson's outcomes). */
export function addObservation(doc: LessonEffectDoc, outcomeEventId: string, observation: Observation, rules: EffectRules): LessonEffectDoc {
  const next = countObservation(doc, observation, rules);
  next.evidence[outcomeEventId] = observation;
  return next;
}

/** The document as it stood at `asOf` (world time): recounted from the observations that had happened by then. */
export function effectDocAsOf(doc: LessonEffectDoc, asOf: Date, rules: EffectRules): LessonEffectDoc {
  const until = asOf.getTime();
  let out: LessonEffectDoc = { ...doc, strata: {}, ipw: emptyIpwSums(), outcomes: 0, evidence: {} };
  for (const [id, observation] of Object.entries(doc.evidence)) {
    if (Date.parse(observation[5]) <= until) out = addObservation(out, id, observation, rules);
  }
  return out;
}
