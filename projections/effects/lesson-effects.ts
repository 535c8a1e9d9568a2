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
  /** outcome event id -> [global position, arm, 1 when a propensity was logged]. */
  evidence: Record<string, [string, EffectArm, 0 | 1]>;
}

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
  version: 1,
  description: 'Per lesson and revision: exposure counts by stratum and arm, propensity sums and evidence (effect estimates)',
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
    const arm = armOf(entry, injected !== undefined);
    const stratum = stratumKey(rules, outcome.model, data.category ?? outcome.suite ?? 'uncategorised');
    // Copies of the small parts; the evidence map is extended in place (nothing can throw past this point, and
    // copying it would make a rebuild quadratic in a lesson's exposures).
    const next: LessonEffectDoc = { ...doc, strata: { ...doc.strata }, ipw: structuredClone(doc.ipw) };
    const arms = (next.strata[stratum] = structuredClone(doc.strata[stratum] ?? emptyArms()));
    if (arm === 'I') count(arms.coinInjected, outcome.passed);
    if (arm === 'W') count(arms.coinWithheld, outcome.passed);
    count(injected ? arms.injected : arms.notInjected, outcome.passed);
    if (entry.propensity !== undefined) addIpwOutcome(next.ipw, injected !== undefined, entry.propensity, outcome.passed, rules.effectPropensityClip);
    next.evidence[outcome.eventId] = [outcome.globalPosition, arm, entry.propensity !== undefined ? 1 : 0];
    return next;
  },
});
