/**
 * `lesson-effects`: per lesson (and per lesson revision), what its exposures add up to under a rule set: pass
 * counts by stratum and arm, the inverse-propensity sums, and the evidence (each outcome's event id, global
 * position and arm). Estimates are computed from a document on read (estimate-effects.ts), so a document stays
 * a fold of counts. An outcome counts once per lesson: a later exposure of the same outcome from another
 * source (e.g. a log read after the HTTP report) is ignored, whichever arrives second in the log.
 * Keys: `id:<lessonId>` or `path:<path>` (a path no lesson had yet), and `<ref>@r<revision>`.
 */
import type { LessonExposureRecordedData } from '../../contracts/exposure.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { defineDocumentProjection } from '../machinery/projection.js';
import type { ArmCounts } from './arm-counts.js';
import { DEFAULT_EFFECT_RULES, effectRulesSchema, stratumKey, type EffectRules } from './effect-rules.js';
import { addIpwOutcome, emptyIpwSums, type IpwSums } from './snipw.js';

export const LESSON_EFFECTS_TABLE = 'lesson_effect_documents';

/** I: injected after a coin; W: withheld by the coin; i: injected, no coin; w: withheld otherwise. */
export type EffectArm = 'I' | 'W' | 'i' | 'w';

export interface StratumArms {
  coinInjected: ArmCounts;
  coinWithheld: ArmCounts;
  injected: ArmCounts;
  notInjected: ArmCounts;
}

export interface LessonEffectDoc {
  lessonRef: string;
  revision: number | null;
  strata: Record<string, StratumArms>;
  ipw: IpwSums;
  infraErrorsExcluded: number;
  /** outcome event id -> the observation (what the counts were made of; `asOf` recounts from it). */
  evidence: Record<string, Observation>;
}

/** [global position, arm, logged propensity or null, stratum, passed (1) or not (0), occurredAt]. */
export type Observation = [string, EffectArm, number | null, string, 0 | 1, string];

interface Exposed {
  lessonId?: string | undefined;
  path?: string | undefined;
  revision?: number | undefined;
  propensity?: number | undefined;
  holdoutRate?: number | undefined;
  withheldBy?: string;
}

export function lessonRefOf(ref: { lessonId?: string | undefined; path?: string | undefined }): string {
  return ref.lessonId !== undefined ? `id:${ref.lessonId}` : `path:${ref.path}`;
}

export function revisionKey(lessonRef: string, revision: number): string {
  return `${lessonRef}@r${revision}`;
}

function keysOf(entry: Exposed): string[] {
  const ref = lessonRefOf(entry);
  return entry.revision === undefined ? [ref] : [ref, revisionKey(ref, entry.revision)];
}

function armOf(entry: Exposed, injected: boolean): EffectArm {
  if (injected) return entry.holdoutRate !== undefined ? 'I' : 'i';
  return entry.withheldBy === 'coin' ? 'W' : 'w';
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

export const lessonEffects = defineDocumentProjection<LessonEffectDoc, EffectRules>({
  name: 'lesson-effects',
  version: 2,
  description: 'Per lesson and revision: exposure counts by stratum and arm, propensity sums and evidence (effect estimates)',
  oneSegmentBecause:
    'an exposure changes the documents of every lesson it names, and an outcome counts once per lesson across sessions: needs the exposures in one order',
  eventTypes: ['LessonExposureRecorded'],
  defaultRules: DEFAULT_EFFECT_RULES,
  parseRules: (merged) => effectRulesSchema.parse(merged),
  documentTable: LESSON_EFFECTS_TABLE,
  documentKeys(event: RecordedEvent) {
    const data = event.data as LessonExposureRecordedData;
    return [...new Set([...data.injected, ...data.withheld].flatMap(keysOf))];
  },
  initialDocument(key) {
    const at = key.lastIndexOf('@r');
    const revision = at > 0 && /^\d+$/.test(key.slice(at + 2)) ? Number(key.slice(at + 2)) : null;
    return { lessonRef: revision === null ? key : key.slice(0, at), revision, strata: {}, ipw: emptyIpwSums(), infraErrorsExcluded: 0, evidence: {} };
  },
  evolve(doc, event, rules, key) {
    const data = event.data as LessonExposureRecordedData;
    const outcome = data.outcome;
    if (outcome.eventId in doc.evidence) return doc;
    const injected = data.injected.find((e) => keysOf(e).includes(key));
    const entry: Exposed | undefined = injected ?? data.withheld.find((e) => keysOf(e).includes(key));
    if (!entry) return doc;
    if (outcome.suspectedInfraError) return { ...doc, infraErrorsExcluded: doc.infraErrorsExcluded + 1 };
    const stratum = stratumKey(rules, outcome.model, data.category ?? outcome.suite ?? 'uncategorised');
    const observation: Observation = [
      outcome.globalPosition,
      armOf(entry, injected !== undefined),
      entry.propensity ?? null,
      stratum,
      outcome.passed ? 1 : 0,
      event.metadata.occurredAt,
    ];
    return addObservation(doc, outcome.eventId, observation, rules);
  },
});

/** Counts one observation in. Copies the small parts; the evidence map is extended in place (nothing can throw
 * past this point, and copying it would make a rebuild quadratic in a lesson's exposures). */
export function addObservation(doc: LessonEffectDoc, outcomeEventId: string, observation: Observation, rules: EffectRules): LessonEffectDoc {
  const [, arm, propensity, stratum, passed] = observation;
  const next: LessonEffectDoc = { ...doc, strata: { ...doc.strata }, ipw: structuredClone(doc.ipw) };
  const arms = (next.strata[stratum] = structuredClone(doc.strata[stratum] ?? emptyArms()));
  const injected = arm === 'I' || arm === 'i';
  if (arm === 'I') count(arms.coinInjected, passed === 1);
  if (arm === 'W') count(arms.coinWithheld, passed === 1);
  count(injected ? arms.injected : arms.notInjected, passed === 1);
  if (propensity !== null) addIpwOutcome(next.ipw, injected, propensity, passed === 1, rules.effectPropensityClip);
  next.evidence[outcomeEventId] = observation;
  return next;
}

/** The document as it stood at `asOf` (world time): recounted from the observations that had happened by then. */
export function effectDocAsOf(doc: LessonEffectDoc, asOf: Date, rules: EffectRules): LessonEffectDoc {
  const until = asOf.getTime();
  let out: LessonEffectDoc = { ...doc, strata: {}, ipw: emptyIpwSums(), evidence: {} };
  for (const [id, observation] of Object.entries(doc.evidence)) {
    if (Date.parse(observation[5]) <= until) out = addObservation(out, id, observation, rules);
  }
  return out;
}
