/**
 * `experiment-outcomes`: pass/fail counts per (model, test, hour of event time), infra errors left out. The
 * experiment analysis sums these over any before/after window, so a new rule set (another window) needs
 * no second pass over the outcome events.
 *
 * Documents, one per (model, UTC day), holding that day's counts by hour and test: a run's ~100 outcomes touch
 * one document instead of ~100 rows, which keeps a rebuild from the events cheap (v1 wrote a row per cell).
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { defineDocumentProjection } from '../machinery/projection.js';

export const EXPERIMENT_OUTCOMES_TABLE = 'experiment_outcome_days';

export const HOUR_MS = 3_600_000;

let lastIso = '';
let lastHour = Number.NaN;

/** Hours since the epoch (floor). The outcomes of a run share one time: the last answer is kept for the next call. */
export function hourOf(iso: string): number {
  if (iso !== lastIso) {
    lastHour = Math.floor(Date.parse(iso) / HOUR_MS);
    lastIso = iso;
  }
  return lastHour;
}

export interface OutcomeBucket {
  model: string;
  test: string;
  hour: number;
  passed: number;
  failed: number;
}

export interface OutcomeDayDoc {
  model: string;
  day: number;
  /** `<hour>|<test>` -> [passed, failed]. */
  cells: Record<string, [number, number]>;
}

function keyOf(event: RecordedEvent): string {
  const outcome = event.data as TestOutcomeRecordedData;
  return `${outcome.model}|${Math.floor(hourOf(event.metadata.occurredAt) / 24)}`;
}

export const experimentOutcomes = defineDocumentProjection<OutcomeDayDoc, Record<string, never>>({
  name: 'experiment-outcomes',
  version: 2,
  description: 'Hourly pass/fail counts per model and test (infra errors excluded) for experiment windows, a document per model and day',
  oneSegmentBecause: 'not split yet: one document per model and day could be partitioned by model',
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  documentTable: EXPERIMENT_OUTCOMES_TABLE,
  documentKeys: (event) => ((event.data as TestOutcomeRecordedData).suspectedInfraError ? [] : [keyOf(event)]),
  initialDocument: (key) => {
    const at = key.lastIndexOf('|');
    return { model: key.slice(0, at), day: Number(key.slice(at + 1)), cells: {} };
  },
  evolve: (doc, event) => {
    const outcome = event.data as TestOutcomeRecordedData;
    const cell = `${hourOf(event.metadata.occurredAt)}|${outcome.test}`;
    // Mutating in place is safe here: the engine and the spec harness keep only the evolved document.
    const counts = doc.cells[cell];
    if (counts) counts[outcome.passed ? 0 : 1] += 1;
    else doc.cells[cell] = outcome.passed ? [1, 0] : [0, 1];
    return doc;
  },
});

/** The buckets held by the day documents. */
export function bucketsOf(docs: Iterable<OutcomeDayDoc>): OutcomeBucket[] {
  const out: OutcomeBucket[] = [];
  for (const doc of docs) {
    for (const [cell, [passed, failed]] of Object.entries(doc.cells)) {
      const at = cell.indexOf('|');
      out.push({ model: doc.model, test: cell.slice(at + 1), hour: Number(cell.slice(0, at)), passed, failed });
    }
  }
  return out;
}
