/**
 * `lesson-effects`: per lesson (and per lesson revision), what its exposures add up to under a rule set: pass
 * counts by stratum and arm and the inverse-propensity sums in a small document (lesson-effect-counts.ts), and
 * the evidence (each outcome's event id, global position and arm) as one row per lesson key and outcome
 * (lesson-effect-evidence.ts). Estimates are computed on read (estimate-effects.ts) from the counts with their
 * evidence. An outcome counts once per lesson: a later exposure of the same outcome from another source (e.g. a
 * log read after the HTTP report) is ignored for the lessons an earlier one named, whichever arrives second in the
 * log. A v2 exposure says which lessons its outcome's earlier exposures named (`namedEarlier`, written from the
 * outcome's stream); only for an exposure recorded before v2 (without it) does the outcome keep a document of its
 * own (`outcome:<event id>`, the lesson keys it was counted for). Events are never appended below a newer version
 * (every instance is upgraded together), so no v1 exposure follows a v2 one of the same outcome.
 * Keys: `id:<lessonId>` or `path:<path>` (a path no lesson had yet), `<ref>@r<revision>`, and `outcome:<id>`.
 */
import type { LessonExposureRecordedData } from '../../contracts/exposure.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { defineDocumentProjection, type ReadModelChange } from '../machinery/projection.js';
import { DEFAULT_EFFECT_RULES, effectRulesSchema, stratumKey, type EffectRules } from './effect-rules.js';
import { countObservation, emptyCounts, type EffectArm, type LessonEffectCounts, type Observation } from './lesson-effect-counts.js';
import { evidenceChange, LESSON_EVIDENCE_TABLES } from './lesson-effect-evidence.js';

export { addObservation, effectDocAsOf } from './lesson-effect-counts.js';
export type { EffectArm, LessonEffectCounts, LessonEffectDoc, Observation, StratumArms } from './lesson-effect-counts.js';

export const LESSON_EFFECTS_TABLE = 'lesson_effect_documents';

/** The lesson keys an outcome has been counted for. */
export interface OutcomeCounted {
  counted: string[];
}

export type LessonEffectsDocument = LessonEffectCounts | OutcomeCounted;

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

export function outcomeKey(outcomeEventId: string): string {
  return `outcome:${outcomeEventId}`;
}

function keysOf(entry: Exposed): string[] {
  const ref = lessonRefOf(entry);
  return entry.revision === undefined ? [ref] : [ref, revisionKey(ref, entry.revision)];
}

/** Each lesson key an exposure names, with the entry that names it first (an injected one before a withheld one). */
interface NamedKeys {
  keys: string[];
  entries: Map<string, { entry: Exposed; injected: boolean }>;
  /** The keys earlier exposures of the outcome named (v2); null when not recorded (v1: the outcome document knows). */
  earlier: Set<string> | null;
}

/** Per event's data: documentKeys and every key's evolve ask for it (a rebuild folds millions of them). */
const namedKeysOf = new WeakMap<LessonExposureRecordedData, NamedKeys>();

function namedKeys(data: LessonExposureRecordedData): NamedKeys {
  let named = namedKeysOf.get(data);
  if (!named) {
    const entries = new Map<string, { entry: Exposed; injected: boolean }>();
    for (const entry of data.injected) for (const key of keysOf(entry)) if (!entries.has(key)) entries.set(key, { entry, injected: true });
    for (const entry of data.withheld) for (const key of keysOf(entry)) if (!entries.has(key)) entries.set(key, { entry, injected: false });
    const earlier = data.namedEarlier === undefined ? null : new Set(data.namedEarlier.flatMap(keysOf));
    named = { keys: [...entries.keys()], entries, earlier };
    namedKeysOf.set(data, named);
  }
  return named;
}

function lessonKeysOf(data: LessonExposureRecordedData): string[] {
  return namedKeys(data).keys;
}

function armOf(entry: Exposed, injected: boolean): EffectArm {
  if (injected) return entry.holdoutRate !== undefined ? 'I' : 'i';
  return entry.withheldBy === 'coin' ? 'W' : 'w';
}

/** The lesson keys of this exposure that gain an observation (not counted before, not an infra error). */
function newlyCounted(data: LessonExposureRecordedData, before: OutcomeCounted | undefined): string[] {
  if (data.outcome.suspectedInfraError) return [];
  return lessonKeysOf(data).filter((key) => !before?.counted.includes(key));
}

function evolveLesson(
  doc: LessonEffectCounts,
  event: RecordedEvent,
  rules: EffectRules,
  key: string,
  countedBefore: boolean,
  emit: (change: ReadModelChange) => void,
): LessonEffectCounts {
  const data = event.data as LessonExposureRecordedData;
  const outcome = data.outcome;
  if (countedBefore) return doc;
  const named = namedKeys(data).entries.get(key);
  if (!named) return doc;
  const { entry, injected } = named;
  if (outcome.suspectedInfraError) return { ...doc, infraErrorsExcluded: doc.infraErrorsExcluded + 1 };
  const stratum = stratumKey(rules, outcome.model, data.category ?? outcome.suite ?? 'uncategorised', entry.propensity);
  const observation: Observation = [
    outcome.globalPosition,
    armOf(entry, injected),
    entry.propensity ?? null,
    stratum,
    outcome.passed ? 1 : 0,
    event.metadata.occurredAt,
  ];
  emit(evidenceChange(key, outcome.eventId, event.globalPosition, observation));
  return countObservation(doc, observation, rules);
}

export const lessonEffects = defineDocumentProjection<LessonEffectsDocument, EffectRules>({
  name: 'lesson-effects',
  // 3: evidence as rows (lesson_effect_evidence_chunks) and outcome documents, out of the lesson documents.
  // 4: outcome documents only for exposures recorded before LessonExposureRecorded v2 (`namedEarlier`).
  // 5: IPW trims propensities outside the clip bounds (was: clamped); LOO strata cut by propensity band.
  // 6: each evidence observation stored as one string (lesson-effect-evidence.ts).
  // 7: evidence as lines of a text column (lesson_effect_evidence_lines), not a jsonb array of strings.
  version: 7,
  description: 'Per lesson and revision: exposure counts by stratum and arm, propensity sums (documents) and evidence (rows), for effect estimates',
  oneSegmentBecause:
    'an exposure changes the documents of every lesson it names, and an outcome counts once per lesson across sessions: needs the exposures in one order',
  eventTypes: ['LessonExposureRecorded'],
  defaultRules: DEFAULT_EFFECT_RULES,
  parseRules: (merged) => effectRulesSchema.parse(merged),
  documentTable: LESSON_EFFECTS_TABLE,
  tables: LESSON_EVIDENCE_TABLES,
  documentKeys(event: RecordedEvent) {
    const data = event.data as LessonExposureRecordedData;
    const { keys, earlier } = namedKeys(data);
    if (keys.length === 0) return [];
    return earlier === null ? [...keys, outcomeKey(data.outcome.eventId)] : keys;
  },
  initialDocument(key) {
    if (key.startsWith('outcome:')) return { counted: [] };
    const at = key.lastIndexOf('@r');
    const revision = at > 0 && /^\d+$/.test(key.slice(at + 2)) ? Number(key.slice(at + 2)) : null;
    return emptyCounts(revision === null ? key : key.slice(0, at), revision);
  },
  evolve(doc, event, rules, key, peek, emit) {
    const data = event.data as LessonExposureRecordedData;
    const { earlier } = namedKeys(data);
    if (earlier !== null) return evolveLesson(doc as LessonEffectCounts, event, rules, key, earlier.has(key), emit);
    const own = outcomeKey(data.outcome.eventId);
    const before = peek(own) as OutcomeCounted | undefined;
    if (key === own) {
      const added = newlyCounted(data, before);
      const counted = [...(doc as OutcomeCounted).counted, ...added];
      return counted.length === 0 ? null : added.length === 0 ? doc : { counted };
    }
    return evolveLesson(doc as LessonEffectCounts, event, rules, key, before?.counted.includes(key) ?? false, emit);
  },
});
