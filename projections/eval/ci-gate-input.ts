/**
 * What the CI gate (ci-gate.ts) compares, from the same folds the `trends` projection keeps: the candidate run's
 * outcomes folded into per-series documents by `evolveStatSeries` (so its attempts, passes and suspected infra
 * errors are counted exactly as the trends count them), and each series' baseline from the `trends` projection's
 * stored document: the `last` runs before the candidate (event time, then run id), or one named baseline run.
 * Pure.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { NO_FORMAT, outcomeOf } from './leaderboard-grouping.js';
import { evolveStatSeries, statSeriesKey, type StatSeriesDoc } from './trends.js';
import type { CiGateSeriesInput } from './ci-gate.js';

export type CiGateBaseline = { last: number } | { run: string };

/** The candidate's series, keyed as the trends documents are (statSeriesKey), folded from its outcome events. */
export function candidateSeries(run: string, events: readonly RecordedEvent[]): Map<string, StatSeriesDoc> {
  const docs = new Map<string, StatSeriesDoc>();
  for (const event of events) {
    if (event.type !== 'TestOutcomeRecorded') continue;
    const o = outcomeOf(event);
    if (o.runId !== run) continue;
    const format = o.toolFormat ?? NO_FORMAT;
    const key = statSeriesKey(o.model, format, o.test);
    const doc = docs.get(key) ?? { kind: 'stat', model: o.model, format, test: o.test, infraErrors: 0, runs: [], droppedUpTo: '' };
    // One run: every attempt lands in the same entry; the window never drops it.
    docs.set(key, evolveStatSeries(doc, event, 2));
  }
  return docs;
}

/** Each candidate series with its baseline runs from the stored trends document of the same key (if any). */
export function ciGateInput(
  candidate: ReadonlyMap<string, StatSeriesDoc>,
  stored: ReadonlyMap<string, StatSeriesDoc>,
  baseline: CiGateBaseline,
): CiGateSeriesInput[] {
  return [...candidate.entries()].map(([key, doc]) => {
    const own = doc.runs[0] ?? null;
    const history = stored.get(key)?.runs ?? [];
    let runs = own === null ? [] : history.filter((r) => r.runId !== own.runId && r.at < own.at);
    runs = 'last' in baseline ? runs.slice(0, baseline.last) : history.filter((r) => r.runId === baseline.run && r.runId !== own?.runId);
    return { model: doc.model, format: doc.format, test: doc.test, candidate: own, baseline: runs, infraErrors: doc.infraErrors };
  });
}
