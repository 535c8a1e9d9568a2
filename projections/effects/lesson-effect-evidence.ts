/**
 * The evidence of the `lesson-effects` read model as rows: per document key, one row per range of exposure
 * positions (a chunk of `EVIDENCE_CHUNK` log positions) holding the observations counted there, appended in the
 * order they were counted. A commit appends to the chunks it touched (one or two per lesson key), never rewrites
 * a document or row that holds a lesson's whole history; rows per outcome would cost the rebuild one stored row
 * (and index entry) per lesson and outcome. The documents keep only the counts. A lesson's whole document
 * (counts and evidence, what the estimators read) is assembled from both. Each observation is one line of a text
 * column: neither JSON to write in node nor jsonb to parse in PostgreSQL (as a JSON array of strings, writing the
 * evidence was a seventh of a rebuild's CPU). Pure.
 */
import { append, type ReadModelChange, type TableSpec } from '../machinery/read-model-changes.js';
import type { EffectArm, LessonEffectCounts, LessonEffectDoc, Observation } from './lesson-effect-counts.js';

export const LESSON_EVIDENCE_TABLE = 'lesson_effect_evidence_lines';

/** Log positions per evidence row: at most this many observations in a row, whatever the history. */
export const EVIDENCE_CHUNK = 65_536n;

export const LESSON_EVIDENCE_TABLES = {
  [LESSON_EVIDENCE_TABLE]: {
    key: { doc_key: 'text', chunk: 'int8' },
    /** StoredObservation lines in the order counted. */
    columns: { observations: 'text' },
  },
} as const satisfies Record<string, TableSpec>;

/**
 * An observation with its outcome's event id, as stored: `<outcome event id> <global position> <arm> <propensity
 * or -> <passed 1|0> <occurredAt> <stratum>`, space-separated; the stratum (which may hold spaces) last. The
 * others cannot hold a space: a uuid, a decimal, a letter, a number, a digit and an ISO instant.
 */
export type StoredObservation = string;

/** An evidence row as stored (chunk as decimal text from SQL, as bigint in memory): one observation a line. */
export interface EvidenceRow {
  doc_key: string;
  chunk: string | bigint;
  observations: string | null;
}

/** The observations of a stored row's text column. */
export function observationLines(text: string | null): StoredObservation[] {
  return text ? text.split('\n') : [];
}

/** A stratum holding a line break or a backslash (from a model or category name) is escaped to stay on its line. */
function escapeStratum(stratum: string): string {
  return /[\\\n]/.test(stratum) ? stratum.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : stratum;
}

function unescapeStratum(stored: string): string {
  return stored.includes('\\') ? stored.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\')) : stored;
}

export function storedObservation(outcomeEventId: string, [position, arm, propensity, stratum, passed, occurredAt]: Observation): StoredObservation {
  return `${outcomeEventId} ${position} ${arm} ${propensity ?? '-'} ${passed} ${occurredAt} ${escapeStratum(stratum)}`;
}

/** [outcome event id, observation] of a stored observation. */
export function parseStoredObservation(stored: StoredObservation): [string, Observation] {
  const at: number[] = [];
  for (let i = -1; at.length < 6; ) at.push((i = stored.indexOf(' ', i + 1)));
  const field = (n: number) => stored.slice(at[n - 1]! + 1, at[n]);
  const propensity = field(3);
  return [
    stored.slice(0, at[0]),
    [field(1), field(2) as EffectArm, propensity === '-' ? null : Number(propensity), unescapeStratum(stored.slice(at[5]! + 1)), field(4) === '1' ? 1 : 0, field(5)],
  ];
}

export function evidenceChange(docKey: string, outcomeEventId: string, exposurePosition: bigint, observation: Observation): ReadModelChange {
  return append(LESSON_EVIDENCE_TABLE, { doc_key: docKey, chunk: exposurePosition / EVIDENCE_CHUNK }, { observations: [storedObservation(outcomeEventId, observation)] });
}

/** The document the estimators read: the stored counts with the observations of its rows (in counting order). */
export function withEvidence(counts: LessonEffectCounts, rows: readonly EvidenceRow[]): LessonEffectDoc {
  const evidence: Record<string, Observation> = {};
  for (const row of inCountingOrder(rows)) {
    for (const stored of observationLines(row.observations)) {
      const [outcomeEventId, observation] = parseStoredObservation(stored);
      evidence[outcomeEventId] = observation;
    }
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
  const rows = new Map<string, { doc_key: string; chunk: bigint; observations: StoredObservation[] }>();
  for (const change of changes) {
    if (change.op !== 'append' || change.table !== LESSON_EVIDENCE_TABLE) continue;
    const docKey = change.key.doc_key as string;
    const chunk = change.key.chunk as bigint;
    const id = `${docKey}\u0000${chunk}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { doc_key: docKey, chunk, observations: [] }));
    for (const item of change.items.observations as StoredObservation[]) row.observations.push(item);
  }
  return [...rows.values()].map((row) => ({ ...row, observations: row.observations.join('\n') }));
}

function inCountingOrder(rows: readonly EvidenceRow[]): EvidenceRow[] {
  return [...rows].sort((a, b) => {
    const x = BigInt(a.chunk);
    const y = BigInt(b.chunk);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
