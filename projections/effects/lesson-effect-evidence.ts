/**
 * The evidence of the `lesson-effects` read model as rows: one per (document key, outcome), written once when
 * the outcome is counted for that lesson (or lesson revision), never rewritten. The documents keep only the
 * counts, so a commit writes the rows it adds and the few small documents it changed, whatever the history.
 * A lesson's whole document (counts and evidence, what the estimators read) is assembled from both. Pure.
 */
import { upsert, type ReadModelChange, type RowValue, type TableSpec } from '../machinery/read-model-changes.js';
import type { EffectArm, LessonEffectCounts, LessonEffectDoc, Observation } from './lesson-effect-counts.js';

export const LESSON_EVIDENCE_TABLE = 'lesson_effect_evidence';

export const LESSON_EVIDENCE_TABLES = {
  [LESSON_EVIDENCE_TABLE]: {
    key: { doc_key: 'text', outcome_event_id: 'text' },
    columns: {
      /** The exposure event's global position: the order the counts were folded in (`asOf` recounts in it). */
      exposure_position: 'int8',
      global_position: 'int8',
      arm: 'text',
      /** As text: numeric columns are NOT NULL, and an outcome may have logged no propensity. */
      propensity: 'text',
      stratum: 'text',
      passed: 'bool',
      /** The exposure's occurredAt as recorded (ISO text), which `asOf` compares. */
      occurred_at: 'text',
    },
  },
} as const satisfies Record<string, TableSpec>;

/** An evidence row as read back (positions as decimal text from SQL, as bigint or text in memory). */
export interface EvidenceRow {
  doc_key?: string;
  outcome_event_id: string;
  exposure_position: string | bigint;
  global_position: string | bigint;
  arm: string;
  propensity: string | null;
  stratum: string;
  passed: boolean;
  occurred_at: string;
}

export function evidenceChange(docKey: string, outcomeEventId: string, exposurePosition: bigint, observation: Observation): ReadModelChange {
  const [globalPosition, arm, propensity, stratum, passed, occurredAt] = observation;
  const set: Record<string, RowValue> = {
    exposure_position: exposurePosition,
    global_position: globalPosition,
    arm,
    propensity: propensity === null ? null : String(propensity),
    stratum,
    passed: passed === 1,
    occurred_at: occurredAt,
  };
  return upsert(LESSON_EVIDENCE_TABLE, { doc_key: docKey, outcome_event_id: outcomeEventId }, set);
}

export function observationOf(row: EvidenceRow): Observation {
  return [String(row.global_position), row.arm as EffectArm, row.propensity === null ? null : Number(row.propensity), row.stratum, row.passed ? 1 : 0, row.occurred_at];
}

/** The document the estimators read: the stored counts with the evidence rows (in exposure order). */
export function withEvidence(counts: LessonEffectCounts, rows: readonly EvidenceRow[]): LessonEffectDoc {
  const evidence: Record<string, Observation> = {};
  for (const row of rows) evidence[row.outcome_event_id] = observationOf(row);
  return { ...counts, evidence };
}

/** Every lesson key's document with its evidence, from the documents and evidence rows of one instance. */
export function effectDocsOf(
  documents: Readonly<Record<string, LessonEffectCounts | object>>,
  rows: readonly EvidenceRow[],
): Record<string, LessonEffectDoc> {
  const byKey = new Map<string, EvidenceRow[]>();
  for (const row of inExposureOrder(rows)) {
    const list = byKey.get(row.doc_key!) ?? [];
    list.push(row);
    byKey.set(row.doc_key!, list);
  }
  const out: Record<string, LessonEffectDoc> = {};
  for (const [key, doc] of Object.entries(documents)) {
    if (!key.startsWith('outcome:')) out[key] = withEvidence(doc as LessonEffectCounts, byKey.get(key) ?? []);
  }
  return out;
}

/** The rows that evidence changes write (the changes a fold emitted, in memory). */
export function evidenceRowsOf(changes: readonly ReadModelChange[]): EvidenceRow[] {
  return changes.flatMap((c) => (c.op === 'upsert' && c.table === LESSON_EVIDENCE_TABLE ? [{ ...c.key, ...c.set } as unknown as EvidenceRow] : []));
}

/** Orders evidence rows the way the counts were folded (by exposure position). */
export function inExposureOrder<R extends { exposure_position: RowValue }>(rows: readonly R[]): R[] {
  return [...rows].sort((a, b) => {
    const x = BigInt(String(a.exposure_position));
    const y = BigInt(String(b.exposure_position));
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
