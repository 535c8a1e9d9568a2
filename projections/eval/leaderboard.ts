/**
 * `leaderboard`: precomputed state behind `GET /leaderboard`, as keyed documents so that a query reads a few
 * hundred small rows. Two kinds:
 * - `gptme` documents, one per (model, format) as gptme derives them from the raw strings: the latest outcome
 *   of each test (gptme keeps the last row of the latest run) and when the pair was first seen (gptme's
 *   tie order);
 * - `cells` documents, one per (model, tool format, suite) with our parsed model/format: per test, all-time
 *   passes / fails / suspected infra errors, cost and tokens, and the latest run's attempts (for pass@k).
 * Exact when events arrive out of world-time order: every "latest" compares event-time order keys.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { gptmeModelFormat, NO_FORMAT, outcomeOf, outcomeOrderKey, runOrderKey } from './leaderboard-grouping.js';
import { defineDocumentProjection } from '../machinery/projection.js';

export const LEADERBOARD_TABLE = 'leaderboard_documents';

export interface GptmeLatest {
  at: string;
  runId: string;
  passed: boolean;
}

export interface GptmePairDoc {
  kind: 'gptme';
  model: string;
  format: string;
  /** Order key of the pair's first outcome. */
  firstSeen: string;
  tests: Record<string, GptmeLatest>;
}

export interface LatestRunAttempts {
  /** Run order key. */
  at: string;
  runId: string;
  /** Attempts of the test in that run that were not suspected infra errors, and how many passed. */
  n: number;
  c: number;
}

export interface TestCell {
  passes: number;
  fails: number;
  infraErrors: number;
  costUsd: number;
  /** Outcomes that reported a cost. */
  costed: number;
  tokens: number;
  /** The latest run with at least one attempt that was not a suspected infra error. */
  latest: LatestRunAttempts | null;
}

export interface CellsDoc {
  kind: 'cells';
  model: string;
  format: string;
  suite: string;
  tests: Record<string, TestCell>;
}

export type LeaderboardDoc = GptmePairDoc | CellsDoc;

export function gptmeDocKey(model: string, format: string): string {
  return JSON.stringify(['gptme', model, format]);
}

export function cellsDocKey(model: string, format: string, suite: string): string {
  return JSON.stringify(['cells', model, format, suite]);
}

function keysOf(event: RecordedEvent): string[] {
  const o = outcomeOf(event);
  const g = gptmeModelFormat(o.rawModel, o.toolFormat);
  return [gptmeDocKey(g.model, g.format), cellsDocKey(o.model, o.toolFormat ?? NO_FORMAT, o.suite ?? '')];
}

function initial(key: string): LeaderboardDoc {
  const [kind, model, format, suite] = JSON.parse(key) as string[];
  if (kind === 'gptme') return { kind: 'gptme', model: model!, format: format!, firstSeen: '', tests: {} };
  return { kind: 'cells', model: model!, format: format!, suite: suite!, tests: {} };
}

export function evolveGptmePair(doc: GptmePairDoc, event: RecordedEvent): GptmePairDoc {
  const o = outcomeOf(event);
  const at = outcomeOrderKey(event, o.runId);
  const current = doc.tests[o.test];
  const tests = current && current.at > at ? doc.tests : { ...doc.tests, [o.test]: { at, runId: o.runId, passed: o.passed } };
  const firstSeen = doc.firstSeen === '' || at < doc.firstSeen ? at : doc.firstSeen;
  return { ...doc, firstSeen, tests };
}

export function evolveCells(doc: CellsDoc, event: RecordedEvent): CellsDoc {
  const o = outcomeOf(event);
  const cell: TestCell = doc.tests[o.test] ?? { passes: 0, fails: 0, infraErrors: 0, costUsd: 0, costed: 0, tokens: 0, latest: null };
  const next: TestCell = { ...cell };
  if (o.passed) next.passes += 1;
  else if (o.suspectedInfraError) next.infraErrors += 1;
  else next.fails += 1;
  if (o.costUsd !== undefined) {
    next.costUsd += o.costUsd;
    next.costed += 1;
  }
  if (o.tokens) next.tokens += o.tokens.total;
  if (o.passed || !o.suspectedInfraError) {
    const at = runOrderKey(event, o.runId);
    const c = o.passed ? 1 : 0;
    if (!cell.latest || at > cell.latest.at) next.latest = { at, runId: o.runId, n: 1, c };
    else if (at === cell.latest.at) next.latest = { ...cell.latest, n: cell.latest.n + 1, c: cell.latest.c + c };
  }
  return { ...doc, tests: { ...doc.tests, [o.test]: next } };
}

export const leaderboard = defineDocumentProjection<LeaderboardDoc, Record<string, never>>({
  name: 'leaderboard',
  version: 1,
  description: 'Latest outcome per test for gptme-compatible ranking, and per-test counts, cost and latest attempts',
  oneSegmentBecause:
    'an outcome changes two documents under different keys (gptme\'s model@format pair and the parsed model/format/suite), which no single partition key keeps together',
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  documentTable: LEADERBOARD_TABLE,
  documentKeys: (event) => keysOf(event),
  initialDocument: (key) => initial(key),
  evolve: (doc, event) => (doc.kind === 'gptme' ? evolveGptmePair(doc, event) : evolveCells(doc, event)),
});
