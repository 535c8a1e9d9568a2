/**
 * A run's outcomes for the run page, and two runs' outcomes side by side for the run diff: each outcome as
 * pass, fail or infra (a suspected infra error), filtered, ordered by model and test, and paged. Pure.
 */
import { page } from '../../../common/list-params.js';
import type { EvalOutcomeView } from './eval-run-views.js';

export type OutcomeResult = 'pass' | 'fail' | 'infra';

export const resultOf = (o: Pick<EvalOutcomeView, 'passed' | 'suspectedInfraError'>): OutcomeResult =>
  o.passed ? 'pass' : o.suspectedInfraError ? 'infra' : 'fail';

export const formatOf = (o: Pick<EvalOutcomeView, 'toolFormat'>) => o.toolFormat ?? 'default';

export interface OutcomeFilter {
  model?: string | undefined;
  format?: string | undefined;
  test?: string | undefined;
}

const matches = (o: EvalOutcomeView, f: OutcomeFilter) =>
  (!f.model || o.model === f.model || o.rawModel === f.model) && (!f.format || formatOf(o) === f.format) && (!f.test || o.test === f.test);

const byModelAndTest = (x: EvalOutcomeView, y: EvalOutcomeView) =>
  cmp(x.model, y.model) || cmp(formatOf(x), formatOf(y)) || cmp(x.test, y.test) || x.occurrence - y.occurrence || cmp(x.rawModel, y.rawModel);

function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface ModelTotals {
  model: string;
  format: string;
  pass: number;
  fail: number;
  infra: number;
  tokens: number;
  costUsd: number;
  durationS: number;
}

/** Per (model, format): outcomes by result, tokens, cost and duration summed (absent values count 0). */
export function totalsByModel(outcomes: readonly EvalOutcomeView[]): ModelTotals[] {
  const totals = new Map<string, ModelTotals>();
  for (const o of outcomes) {
    const key = `${o.model}\u0000${formatOf(o)}`;
    let t = totals.get(key);
    if (!t) totals.set(key, (t = { model: o.model, format: formatOf(o), pass: 0, fail: 0, infra: 0, tokens: 0, costUsd: 0, durationS: 0 }));
    t[resultOf(o)] += 1;
    t.tokens += o.tokens?.total ?? 0;
    t.costUsd += o.costUsd ?? 0;
    t.durationS += o.durations?.total ?? 0;
  }
  return [...totals.values()].sort((x, y) => cmp(x.model, y.model) || cmp(x.format, y.format));
}

export interface RunOutcomesParams extends OutcomeFilter {
  result?: OutcomeResult | undefined;
  limit: number;
  offset: number;
}

export function listRunOutcomes(outcomes: readonly EvalOutcomeView[], params: RunOutcomesParams) {
  const matching = outcomes.filter((o) => matches(o, params) && (!params.result || resultOf(o) === params.result)).sort(byModelAndTest);
  const counts = { pass: 0, fail: 0, infra: 0 };
  for (const o of matching) counts[resultOf(o)] += 1;
  const listed = page(matching.map((o) => ({ ...o, result: resultOf(o) })), params.limit, params.offset);
  return { counts, ...listed };
}

/** How an outcome moved from run a to run b. */
export const DIFF_CHANGES = ['new-failure', 'new-pass', 'new-infra', 'only-a', 'only-b', 'unchanged'] as const;
export type DiffChange = (typeof DIFF_CHANGES)[number];

export interface DiffSide {
  eventId: string;
  result: OutcomeResult;
  tokens: number | null;
  costUsd: number | null;
  durationS: number | null;
  logDir: string | null;
}

export interface DiffItem {
  model: string;
  rawModel: string;
  format: string;
  test: string;
  occurrence: number;
  change: DiffChange;
  a: DiffSide | null;
  b: DiffSide | null;
}

function side(o: EvalOutcomeView | undefined): DiffSide | null {
  if (!o) return null;
  return { eventId: o.eventId, result: resultOf(o), tokens: o.tokens?.total ?? null, costUsd: o.costUsd ?? null, durationS: o.durations?.total ?? null, logDir: o.logDir || null };
}

function changeOf(a: DiffSide | null, b: DiffSide | null): DiffChange {
  if (!a) return 'only-b';
  if (!b) return 'only-a';
  if (b.result === 'infra' && a.result !== 'infra') return 'new-infra';
  if (a.result === 'pass' && b.result === 'fail') return 'new-failure';
  if (a.result !== 'pass' && b.result === 'pass') return 'new-pass';
  return 'unchanged';
}

export interface RunDiffParams extends OutcomeFilter {
  change?: DiffChange | undefined;
  limit: number;
  offset: number;
}

/**
 * The outcomes of a and b paired by (raw model, tool format, test, occurrence): new failures first, then new
 * passes, new infra errors, outcomes in one run only, unchanged ones; by model and test within each.
 */
export function diffRuns(a: readonly EvalOutcomeView[], b: readonly EvalOutcomeView[], params: RunDiffParams) {
  const key = (o: EvalOutcomeView) => `${o.rawModel}\u0000${formatOf(o)}\u0000${o.test}\u0000${o.occurrence}`;
  const pairs = new Map<string, { a?: EvalOutcomeView; b?: EvalOutcomeView }>();
  for (const o of a) if (matches(o, params)) pairs.set(key(o), { a: o });
  for (const o of b) {
    if (!matches(o, params)) continue;
    const pair = pairs.get(key(o));
    if (pair) pair.b = o;
    else pairs.set(key(o), { b: o });
  }
  const items: DiffItem[] = [...pairs.values()].map((pair) => {
    const o = (pair.a ?? pair.b)!;
    const [sa, sb] = [side(pair.a), side(pair.b)];
    return { model: o.model, rawModel: o.rawModel, format: formatOf(o), test: o.test, occurrence: o.occurrence, change: changeOf(sa, sb), a: sa, b: sb };
  });
  const counts = Object.fromEntries(DIFF_CHANGES.map((c) => [c, 0])) as Record<DiffChange, number>;
  for (const item of items) counts[item.change] += 1;
  const rank = (c: DiffChange) => DIFF_CHANGES.indexOf(c);
  const ordered = items
    .filter((i) => !params.change || i.change === params.change)
    .sort((x, y) => rank(x.change) - rank(y.change) || cmp(x.model, y.model) || cmp(x.format, y.format) || cmp(x.test, y.test) || x.occurrence - y.occurrence || cmp(x.rawModel, y.rawModel));
  return { counts, ...page(ordered, params.limit, params.offset) };
}
