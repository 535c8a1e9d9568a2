/**
 * The evidence of the `lesson-effects` read model as rows: per document key, one row per range of exposure
 * positions (a chunk of `EVIDENCE_CHUNK` log positions) holding the observations counted there, appended in the
 * order they were counted. A commit appends to the chunks it touched (one or two per lesson key), never rewrites
 * a document or row that holds a lesson's whole history; rows per outcome would cost the rebuild one stored row
 * (and index entry) per lesson and outcome. The documents keep only the counts. A lesson's whole document
 * (counts and evidence, what the estimators read) is assembled from both. Pure.
 */
import { append, type ReadModelChange, type TableSpec } from '../machinery/read-model-changes.js';
import type { LessonEffectCounts, LessonEffectDoc, Observation } from './lesson-effect-counts.js';

export const LESSON_EVIDENCE_TABLE = 'lesson_effect_evidence_chunks';

/** Log positions per evidence row: at most this many observations in a row, whatever the history. */
export const EVIDENCE_CHUNK = 65_536n;

export const LESSON_EVIDENCE_TABLES = {
  [LESSON_EVIDENCE_TABLE]: {
    key: { doc_key: 'text', chunk: 'int8' },
    /** [outcome event id, ...Observation] in the order counted. */
    columns: { observations: 'jsonb' },
  },
} as const satisfies Record<string, TableSpec>;

/** An observation with its outcome's event id, as stored. */
export type StoredObservation = [string, ...Observation];

/** An evidence row as read back (chunk as decimal text from SQL, as bigint in memory). */
export interface EvidenceRow {
  doc_key: string;
  chunk: string | bigint;
  observations: StoredObservation[];
}

export function evidenceChange(docKey: string, outcomeEventId: string, exposurePosition: bigint, observation: Observation): ReadModelChange {
  const item: StoredObservation = [outcomeEventId, ...observation];
  return append(LESSON_EVIDENCE_TABLE, { doc_key: docKey, chunk: exposurePosition / EVIDENCE_CHUNK }, { observations: [item] });
}

/** The document the estimators read: the stored counts with the observations of its rows (in counting order). */
export function withEvidence(counts: LessonEffectCounts, rows: readonly EvidenceRow[]): LessonEffectDoc {
  const evidence: Record<string, Observation> = {};
  for (const row of inCountingOrder(rows)) {
    for (const [outcomeEventId, ...observation] of row.observations) evidence[outcomeEventId] = observation;
  }
  return { ...counts, evidence };
}

/** Every lesson key's document with its evidence, from the documents and evidence rows of one instance. */
export function effectDocsOf(documents: Readonly<Record<string, LessonEffectCounts | object>>, rows: readonly EvidenceRow[]): Record<string, LessonEffectDoc> {
  const byKey = new Map<string, EvidenceRow[]>();
  for (const row of rows) {
    const list = byKey.get(row.doc_key) ?? [];
    list.push(row);
    byKey.set(row.doc_key, list);
  }
  const out: Record<string, LessonEffectDoc> = {};
  for (const [key, doc] of Object.entries(documents)) {
    if (!key.startsWith('outcome:')) out[key] = withEvidence(doc as LessonEffectCounts, byKey.get(key) ?? []);
  }
  return out;
}

/** The rows that evidence changes write (the changes a fold emitted, in memory, in order). */
export function evidenceRowsOf(changes: readonly ReadModelChange[]): EvidenceRow[] {
  const rows = new Map<string, EvidenceRow>();
  for (const change of changes) {
    if (change.op !== 'append' || change.table !== LESSON_EVIDENCE_TABLE) continue;
    const docKey = change.key.doc_key as string;
    const chunk = change.key.chunk as bigint;
    const id = `${docKey}\u0000${chunk}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { doc_key: docKey, chunk, observations: [] }));
    for (const item of change.items.observations as StoredObservation[]) row.observations.push(item);
  }
  return [...rows.values()];
}

function inCountingOrder(rows: readonly EvidenceRow[]): EvidenceRow[] {
  return [...rows].sort((a, b) => {
    const x = BigInt(a.chunk);
    const y = BigInt(b.chunk);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
