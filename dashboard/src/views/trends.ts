import { get } from '../api.js';
import { day, h, link, pct, seg } from '../dom.js';
import type { GptmeCategoryPage, GptmeTrend, StatTrend, StatTrends } from '../types.js';
import { emptyStoreMessage, storeIsEmpty, type View } from './common.js';
import {
  apiListParams, dateField, dayStart, filterForm, formText, hashListParams, hrefFor, listState, listTable, pager, textField,
  type Column, type Href, type ListState,
} from './paging.js';

const STAT_LABELS = [
  ['regression', 'Regressions'], ['improvement', 'Improvements'], ['flaky', 'Flaky'], ['stable_fail', 'Stable fail'],
  ['stable_pass', 'Stable pass'], ['insufficient', 'Too few runs'],
] as const;
const GPTME_CATEGORIES = [
  ['regressions', 'Regressions'], ['improvements', 'Improvements'], ['flaky', 'Flaky'], ['stable_fail', 'Stable fail'], ['stable_pass', 'Stable pass'],
] as const;

const STAT_COLUMNS: Column[] = [
  { key: 'model', label: 'Model' }, { key: 'format', label: 'Format' }, { key: 'test', label: 'Test' }, { key: 'runs', label: 'Runs', numeric: true },
  { key: 'baseline_pass_rate', label: 'Before', numeric: true }, { key: 'recent_pass_rate', label: 'Recent', numeric: true },
  { key: 'p_regression', label: 'p of drop', numeric: true }, { key: 'q_regression', label: 'q of drop', numeric: true },
  { key: null, label: 'Detectable drop', numeric: true }, { key: 'flip_rate', label: 'Flip rate', numeric: true, lo: true },
  { key: 'latest_run_at', label: 'Latest', numeric: true },
];
const GPTME_COLUMNS: Column[] = [
  { key: 'model', label: 'Model' }, { key: 'test', label: 'Test' }, { key: null, label: 'Latest' }, { key: null, label: 'Previous' },
  { key: 'pass_rate', label: 'Pass rate', numeric: true }, { key: 'total_runs', label: 'Runs', numeric: true }, { key: 'latest_run', label: 'Latest run', numeric: true },
  { key: null, label: 'Outcomes' },
];

const fixed = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));

const historyLink = (model: string, format: string, test: string) =>
  h('a', { href: link(`/history/${seg(model)}/${seg(test)}`, { format }), class: 'history-link' }, test);

/** gptme's model@format key: split on the last @ (as gptme does); no @ means the default format. */
function splitGptmeKey(key: string): { model: string; format: string } {
  const at = key.lastIndexOf('@');
  return at > 0 ? { model: key.slice(0, at), format: key.slice(at + 1) } : { model: key, format: 'default' };
}

const FILTERS = ['model', 'format', 'suite', 'test', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function filtersOf(query: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Filters;
}

/** The API's filter parameters (dates as the start of their UTC day). */
function apiFilters(f: Filters, rules: 'statistical' | 'gptme') {
  return { model: f.model, format: f.format, suite: f.suite, test: rules === 'statistical' ? f.test : '', from: dayStart(f.from), to: dayStart(f.to) };
}

function trendsFilterForm(f: Filters, rules: 'statistical' | 'gptme', go: Href): HTMLFormElement {
  return filterForm('trends-filters', [
    textField('model', 'Model', f.model, 16), textField('format', 'Format', f.format), textField('suite', 'Suite', f.suite),
    ...(rules === 'statistical' ? [textField('test', 'Test', f.test, 14)] : []),
    dateField('from', 'Latest run from', f.from), dateField('to', 'before', f.to),
  ], (data) => {
    location.hash = go(Object.fromEntries(FILTERS.map((name) => [name, formText(data, name)])));
  });
}

function tabs(items: readonly (readonly [string, string])[], active: string, counts: Record<string, number>, go: Href, testid: string): HTMLElement {
  return h('nav', { class: 'tabs', 'data-testid': testid },
    ...items.map(([key, label]) => h('a', { href: go({ show: key, offset: null }), class: key === active ? 'active' : '', 'data-tab': key },
      label, h('span', { class: 'sub' }, ` ${counts[key] ?? 0}`))));
}

async function statistical(f: Filters, state: ListState, show: string, here: Href, base: Href): Promise<HTMLElement[]> {
  const page = await get<StatTrends>('/trends', { ...apiFilters(f, 'statistical'), label: show, ...apiListParams(state) });
  const rows = page.items.map((t: StatTrend) => h('tr', {},
    h('td', { 'data-label': 'Model' }, t.model), h('td', { 'data-label': 'Format' }, t.format),
    h('td', { 'data-label': 'Test' }, historyLink(t.model, t.format, t.test)), h('td', { class: 'num', 'data-label': 'Runs' }, t.runs),
    h('td', { class: 'num', 'data-label': 'Before' }, pct(t.baseline.pass_rate)), h('td', { class: 'num', 'data-label': 'Recent' }, pct(t.recent.pass_rate)),
    h('td', { class: 'num', 'data-label': 'p of drop' }, fixed(t.p_regression)), h('td', { class: 'num', 'data-label': 'q of drop' }, fixed(t.q_regression)),
    h('td', { class: 'num', 'data-label': 'Detectable drop', title: 'the smallest drop of the recent pass rate this series could flag (at the rule set\'s power)' },
      t.mde_regression === null || t.mde_regression === undefined ? '–' : pct(t.mde_regression, 0)),
    h('td', { class: 'num lo', 'data-label': 'Flip rate' }, t.flip_rate.toFixed(2)), h('td', { class: 'num', 'data-label': 'Latest' }, day(t.latest_run_at))));
  return [
    h('p', { class: 'hint' }, 'Over the last runs of each (model, format, test): regression by a one-sided Fisher test (p of drop is its p-value, not a probability; ' +
      'q the false-discovery q-value over the family), flaky by flip rate and entropy; the detectable drop is the smallest drop the data could flag.'),
    trendsFilterForm(f, 'statistical', base),
    tabs(STAT_LABELS, show, page.counts, here, 'stat-tabs'),
    rows.length === 0 ? h('p', { class: 'none', 'data-testid': 'no-trends' }, 'None by these rules and filters.')
      : listTable('trends', STAT_COLUMNS, state, here, rows),
    pager(page, state, here, 'trends-pager'),
  ];
}

async function gptme(f: Filters, state: ListState, show: string, here: Href, base: Href): Promise<HTMLElement[]> {
  const page = await get<GptmeCategoryPage>('/trends', { rules: 'gptme', category: show, ...apiFilters(f, 'gptme'), ...apiListParams(state) });
  const rows = page.items.map((t: GptmeTrend) => {
    const { model, format } = splitGptmeKey(t.model);
    return h('tr', {},
      h('td', { 'data-label': 'Model' }, t.model), h('td', { 'data-label': 'Test' }, historyLink(model, format, t.test)),
      h('td', { 'data-label': 'Latest' }, t.latest_passed ? 'pass' : 'fail'), h('td', { 'data-label': 'Previous' }, t.previous_passed ? 'pass' : 'fail'),
      h('td', { class: 'num', 'data-label': 'Pass rate' }, pct(t.pass_rate)), h('td', { class: 'num', 'data-label': 'Runs' }, t.total_runs),
      h('td', { class: 'num', 'data-label': 'Latest run' }, h('a', { href: link(`/runs/${seg(t.latest_run)}`, { model, format, test: t.test }) }, t.latest_run)),
      h('td', { 'data-label': 'Outcomes' }, h('a', {
        href: link(`/runs/${seg(t.previous_run)}/diff/${seg(t.latest_run)}`, { model, format, test: t.test }), class: 'diff-link',
        title: `the outcome in ${t.previous_run} beside the one in ${t.latest_run}`,
      }, 'previous → latest')));
  });
  return [
    h('p', { class: 'hint' }, "gptme's rules: per model@format and test, the latest two outcomes; flaky when 4+ outcomes pass between 10% and 90% of the time."),
    trendsFilterForm(f, 'gptme', base),
    tabs(GPTME_CATEGORIES, show, page.totals, here, 'gptme-tabs'),
    rows.length === 0 ? h('p', { class: 'none', 'data-testid': 'no-trends' }, 'None.')
      : listTable('trends', GPTME_COLUMNS, state, here, rows),
    pager(page, state, here, 'trends-pager'),
  ];
}

/** Regressions, flaky and stable tests by the statistical rules (default) or gptme's, one list a page at a time. */
export const trendsView: View = async (_path, query, root) => {
  if (await storeIsEmpty()) {
    root.replaceChildren(emptyStoreMessage());
    return;
  }
  const rules = query.get('rules') === 'gptme' ? 'gptme' : 'statistical';
  const known = (rules === 'gptme' ? GPTME_CATEGORIES : STAT_LABELS).map(([key]) => key as string);
  const show = known.includes(query.get('show') ?? '') ? query.get('show')! : known[0]!;
  const f = filtersOf(query);
  const state = listState(query);
  const ruleParam = rules === 'gptme' ? 'gptme' : null;
  // `base`: this list with other filters, first page; `here`: this page (tabs, headers and pager change from it).
  const base = hrefFor('/trends', { rules: ruleParam, show, ...hashListParams(state) });
  const here = hrefFor('/trends', { rules: ruleParam, show, ...f, ...hashListParams(state), offset: state.offset || null });
  const ruleTabs = h('nav', { class: 'tabs' },
    h('a', { href: link('/trends'), class: rules === 'statistical' ? 'active' : '' }, 'Statistical rules'),
    h('a', { href: link('/trends', { rules: 'gptme' }), class: rules === 'gptme' ? 'active' : '', 'data-testid': 'gptme-tab' }, "gptme's rules"));
  const parts = rules === 'gptme' ? await gptme(f, state, show, here, base) : await statistical(f, state, show, here, base);
  root.replaceChildren(h('h1', {}, 'Regressions & flaky tests'), ruleTabs, ...parts);
};
