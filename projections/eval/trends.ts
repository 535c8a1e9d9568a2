/**
 * `trends`: per-series state behind `GET /trends`, as keyed documents (a query reads one small row per
 * series). Two kinds:
 * - `gptme` series, per (gptme `model@format`, test): every outcome counted (gptme counts rows), and the two
 *   latest outcomes in gptme's order (run, then row order);
 * - `stat` series, per (parsed model, tool format, test): the `window` latest runs with their attempts that
 *   were not suspected infra errors (those are only counted), for the statistical rules.
 * Both stay exact when events arrive out of event-time order (top-k lists keyed by order keys; a `stat`
 * series remembers the newest run it dropped, so a late attempt of a dropped run is not re-added).
 * The statistical thresholds are rules too, so a rule set (RuleSetDefined) gives an instance of its own.
 */
import { z } from 'zod';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { gptmeModelFormat, gptmeModelKey, NO_FORMAT, outcomeOf, outcomeOrderKey, runOrderKey } from './leaderboard-grouping.js';
import { defineDocumentProjection } from '../machinery/projection.js';

export const TRENDS_TABLE = 'trends_documents';

export const statisticalRulesSchema = z.strictObject({
  /** Runs kept per series (baseline + recent). */
  window: z.number().int().min(2).max(500),
  /** The latest runs compared with the runs before them in the window. */
  recent: z.number().int().min(1),
  /** One-sided Fisher exact test level for a regression / improvement. */
  alpha: z.number().gt(0).lt(1),
  /** Flaky when the flip rate over the window is at least this... */
  flakyFlipRate: z.number().min(0).max(1),
  /** ...and the pass entropy (bits) at least this. */
  flakyEntropy: z.number().min(0).max(1),
  /** Fewer runs than this (after dropping infra errors): `insufficient`. */
  minRuns: z.number().int().min(2),
}).superRefine((r, ctx) => {
  // Both values named: a rule set that sets only one of them (window: 3) sees which default it ran into.
  if (r.recent >= r.window) ctx.addIssue({ code: 'custom', path: ['recent'], message: `recent (${r.recent}) must be smaller than window (${r.window})` });
});
export type StatisticalRules = z.infer<typeof statisticalRulesSchema>;

export const DEFAULT_STATISTICAL_RULES: StatisticalRules = {
  window: 20,
  recent: 5,
  alpha: 0.05,
  flakyFlipRate: 0.3,
  flakyEntropy: 0.7,
  minRuns: 4,
};

export interface GptmePoint {
  at: string;
  runId: string;
  passed: boolean;
}

export interface GptmeSeriesDoc {
  kind: 'gptme';
  model: string;
  test: string;
  total: number;
  passes: number;
  /** Newest first, at most two. */
  last: GptmePoint[];
}

export interface RunAttempts {
  at: string;
  runId: string;
  /** Attempts that were not suspected infra errors, and passes among them. */
  n: number;
  c: number;
  /** When the run happened (ISO). */
  time: string;
}

export interface StatSeriesDoc {
  kind: 'stat';
  model: string;
  format: string;
  test: string;
  infraErrors: number;
  /** Newest first, at most `window`. */
  runs: RunAttempts[];
  /** Order key of the newest run dropped from `runs` ('' when none). */
  droppedUpTo: string;
}

export type TrendsDoc = GptmeSeriesDoc | StatSeriesDoc;

export function gptmeSeriesKey(modelKey: string, test: string): string {
  return JSON.stringify(['gptme', modelKey, test]);
}

export function statSeriesKey(model: string, format: string, test: string): string {
  return JSON.stringify(['stat', model, format, test]);
}

export function evolveGptmeSeries(doc: GptmeSeriesDoc, event: RecordedEvent): GptmeSeriesDoc {
  const o = outcomeOf(event);
  const point = { at: outcomeOrderKey(event, o.runId), runId: o.runId, passed: o.passed };
  const last = [...doc.last, point].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, 2);
  return { ...doc, total: doc.total + 1, passes: doc.passes + (o.passed ? 1 : 0), last };
}

export function evolveStatSeries(doc: StatSeriesDoc, event: RecordedEvent, window: number): StatSeriesDoc {
  const o = outcomeOf(event);
  if (!o.passed && o.suspectedInfraError) return { ...doc, infraErrors: doc.infraErrors + 1 };
  const at = runOrderKey(event, o.runId);
  if (doc.droppedUpTo !== '' && at <= doc.droppedUpTo) return doc;
  const c = o.passed ? 1 : 0;
  const found = doc.runs.find((r) => r.at === at);
  let runs = found
    ? doc.runs.map((r) => (r === found ? { ...r, n: r.n + 1, c: r.c + c } : r))
    : [...doc.runs, { at, runId: o.runId, n: 1, c, time: new Date(event.metadata.occurredAt).toISOString() }];
  runs = runs.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  let droppedUpTo = doc.droppedUpTo;
  if (runs.length > window) {
    const dropped = runs.slice(window);
    runs = runs.slice(0, window);
    for (const r of dropped) if (r.at > droppedUpTo) droppedUpTo = r.at;
  }
  return { ...doc, runs, droppedUpTo };
}

function initial(key: string): TrendsDoc {
  const parts = JSON.parse(key) as string[];
  if (parts[0] === 'gptme') return { kind: 'gptme', model: parts[1]!, test: parts[2]!, total: 0, passes: 0, last: [] };
  return { kind: 'stat', model: parts[1]!, format: parts[2]!, test: parts[3]!, infraErrors: 0, runs: [], droppedUpTo: '' };
}

export const trends = defineDocumentProjection<TrendsDoc, StatisticalRules>({
  name: 'trends',
  version: 1,
  description: 'Per-series latest outcomes (gptme trends) and the latest runs window (statistical trends)',
  oneSegmentBecause:
    'an outcome changes two series under different keys (gptme\'s model@format/test and the parsed model/format/test), which no single partition key keeps together',
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: DEFAULT_STATISTICAL_RULES,
  parseRules: (merged) => statisticalRulesSchema.parse(merged),
  documentTable: TRENDS_TABLE,
  documentKeys: (event) => {
    const o = outcomeOf(event);
    const g = gptmeModelFormat(o.rawModel, o.toolFormat);
    return [gptmeSeriesKey(gptmeModelKey(g.model, g.format), o.test), statSeriesKey(o.model, o.toolFormat ?? NO_FORMAT, o.test)];
  },
  initialDocument: (key) => initial(key),
  evolve: (doc, event, rules) => (doc.kind === 'gptme' ? evolveGptmeSeries(doc, event) : evolveStatSeries(doc, event, rules.window)),
});
