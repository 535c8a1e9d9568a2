/**
 * `injection-gate`: per (model, eval test), each exposed outcome once (the first exposure of it in the log), as
 * what the "lessons on vs off" contrast needs: the outcome's arm for the whole pair, and each lesson's arm.
 * Estimates are computed on read (gate-decisions.ts) under query-time rules, so one instance serves every rule set.
 * Pair arms of an outcome:
 * - `on-coin`: some lesson went through the holdout coin and was injected;
 * - `on`: lessons were injected, none through a coin (e.g. read from a log);
 * - `off-coin`: nothing injected, and the coin withheld at least one lesson the bandit chose;
 * - `off-run-holdout`: nothing injected, and lessons were withheld by a run without lessons;
 * - none: nothing either way (withheld only by the cap or for unknown reasons, or an unknown exposure).
 * Keys: JSON `[model, test]` with the `Model` cell as written.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { LessonExposureRecordedData } from '../../contracts/exposure.js';
import { defineDocumentProjection } from '../machinery/projection.js';

export const INJECTION_GATE_TABLE = 'injection_gate_documents';

export const PAIR_ARMS = ['on-coin', 'on', 'off-coin', 'off-run-holdout'] as const;
export type PairArm = (typeof PAIR_ARMS)[number];
/** A lesson's arm in one outcome: I injected by the coin, i injected otherwise, W coin-withheld, R run-holdout. */
export type LessonArm = 'I' | 'i' | 'W' | 'R';

/** [global position, pair arm or null, passed (1) or not (0), [lesson ref, arm][]]. */
export type GateObservation = [string, PairArm | null, 0 | 1, [string, LessonArm][]];

export interface InjectionGateDoc {
  model: string;
  test: string;
  infraErrorsExcluded: number;
  /** outcome event id -> its observation. */
  outcomes: Record<string, GateObservation>;
}

export const gatePairKey = (model: string, test: string) => JSON.stringify([model, test]);

const refOf = (r: { lessonId?: string | undefined; path?: string | undefined }) => (r.lessonId !== undefined ? `id:${r.lessonId}` : `path:${r.path}`);

export function gateObservation(data: LessonExposureRecordedData, globalPosition: string): GateObservation {
  const lessons: [string, LessonArm][] = [
    ...data.injected.map((r): [string, LessonArm] => [refOf(r), r.holdoutRate !== undefined ? 'I' : 'i']),
    ...data.withheld.flatMap((r): [string, LessonArm][] => (r.withheldBy === 'coin' ? [[refOf(r), 'W']] : r.withheldBy === 'run-holdout' ? [[refOf(r), 'R']] : [])),
  ];
  const arms = new Set(lessons.map(([, arm]) => arm));
  const arm: PairArm | null = arms.has('I') ? 'on-coin' : arms.has('i') ? 'on' : arms.has('W') ? 'off-coin' : arms.has('R') ? 'off-run-holdout' : null;
  return [globalPosition, arm, data.outcome.passed ? 1 : 0, lessons];
}

export const injectionGate = defineDocumentProjection<InjectionGateDoc, Record<string, never>>({
  name: 'injection-gate',
  version: 1,
  description: 'Per (model, eval test): each exposed outcome as lessons on or off, and each lesson as injected or held out (the injection gate)',
  oneSegmentBecause:
    'each outcome counts at its first exposure in the log; exposures of one pair could be split by (model, test), not declared yet',
  eventTypes: ['LessonExposureRecorded'],
  defaultRules: {},
  documentTable: INJECTION_GATE_TABLE,
  documentKeys(event: RecordedEvent) {
    const { outcome } = event.data as LessonExposureRecordedData;
    return [gatePairKey(outcome.model, outcome.test)];
  },
  initialDocument(key) {
    const [model, test] = JSON.parse(key) as [string, string];
    return { model, test, infraErrorsExcluded: 0, outcomes: {} };
  },
  evolve(doc, event) {
    const data = event.data as LessonExposureRecordedData;
    if (data.outcome.eventId in doc.outcomes || data.unknownBecause !== undefined) return doc;
    if (data.injected.length + data.withheld.length === 0) return doc;
    if (data.outcome.suspectedInfraError) return { ...doc, infraErrorsExcluded: doc.infraErrorsExcluded + 1 };
    // Extended in place: copying the map would make a rebuild quadratic in a pair's outcomes.
    doc.outcomes[data.outcome.eventId] = gateObservation(data, data.outcome.globalPosition);
    return { ...doc };
  },
});
