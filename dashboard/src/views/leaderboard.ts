import { get } from '../api.js';
import { h, link, pct, seg } from '../dom.js';
import type { LeaderboardRow, Page } from '../types.js';
import { emptyStoreMessage, storeIsEmpty, type View } from './common.js';
import { apiListParams, dateField, dayStart, filterForm, formText, hashListParams, hrefFor, listState, listTable, pager, textField, type Column } from './paging.js';

const COLUMNS: Column[] = [
  { key: 'model', label: 'Model' },
  { key: 'format', label: 'Format' },
  { key: 'suite', label: 'Suite' },
  { key: 'tests', label: 'Tests', numeric: true },
  { key: 'passes', label: 'Passed', numeric: true },
  { key: 'pass_rate', label: 'Pass rate', numeric: true },
  { key: null, label: 'Pass rate and 95% interval' },
  { key: 'wilson_lower', label: '95% interval', numeric: true, lo: true },
  { key: 'infra_errors', label: 'Infra errors', numeric: true, lo: true },
  { key: 'cost_per_pass', label: '$ per pass', numeric: true },
];

/** The pass rate as a bar on a 0-100% scale, its 95% Wilson interval as a band behind it. */
function rateBar(r: LeaderboardRow): HTMLElement {
  const at = (v: number | null) => `${((v ?? 0) * 100).toFixed(1)}%`;
  const band = r.wilson_lower !== null && r.wilson_upper !== null
    ? h('span', { class: 'band', style: `left:${at(r.wilson_lower)};width:${at(r.wilson_upper - r.wilson_lower)}` }) : '';
  return h('span', { class: 'rate-bar', role: 'img', 'aria-label': `${pct(r.pass_rate)}, 95% interval ${pct(r.wilson_lower, 0)} to ${pct(r.wilson_upper, 0)}` },
    band, r.pass_rate === null ? '' : h('span', { class: 'mark', style: `left:${at(r.pass_rate)}` }));
}

/** The leaderboard a page at a time, filtered and sorted by the API. */
export const leaderboardView: View = async (_path, query, root) => {
  const filters = {
    model: query.get('model') ?? '',
    format: query.get('format') ?? '',
    suite: query.get('suite') ?? '',
    bySuite: query.get('bySuite') === 'true' ? 'true' : '',
    from: query.get('from') ?? '',
    asOf: query.get('asOf') ?? '',
  };
  const state = listState(query);
  const here = hrefFor('/', { ...filters, ...hashListParams(state), offset: state.offset || null });

  if (await storeIsEmpty()) {
    root.replaceChildren(emptyStoreMessage());
    return;
  }
  const page = await get<Page<LeaderboardRow>>('/leaderboard', {
    ...apiListParams(state),
    model: filters.model,
    format: filters.format,
    suite: filters.suite,
    bySuite: filters.bySuite,
    from: dayStart(filters.from),
    asOf: dayStart(filters.asOf),
  });

  const form = filterForm(
    'leaderboard-filters',
    [
      textField('model', 'Model', filters.model, 16),
      textField('format', 'Format', filters.format),
      textField('suite', 'Suite', filters.suite),
      h('label', {}, h('input', { type: 'checkbox', name: 'bySuite', checked: filters.bySuite === 'true' }), ' per suite'),
      dateField('from', 'From', filters.from),
      dateField('asOf', 'As of', filters.asOf),
    ],
    (data) => {
      location.hash = hrefFor('/', hashListParams(state))({
        model: formText(data, 'model'),
        format: formText(data, 'format'),
        suite: formText(data, 'suite'),
        bySuite: data.get('bySuite') ? 'true' : '',
        from: formText(data, 'from'),
        asOf: formText(data, 'asOf'),
      });
    },
  );

  const rows = page.items.map((r) =>
    h(
      'tr',
      { 'data-model': r.model, 'data-format': r.format },
      h('td', { 'data-label': 'Model' }, h('a', { href: link(`/model/${seg(r.model)}`, { format: r.format }) }, r.model)),
      h('td', { 'data-label': 'Format' }, r.format),
      h('td', { 'data-label': 'Suite' }, r.suite === null ? 'all' : r.suite || '–'),
      h('td', { class: 'num', 'data-label': 'Tests' }, r.tests),
      h('td', { class: 'num', 'data-label': 'Passed' }, `${r.passes}/${r.attempts}`),
      h('td', { class: 'num', 'data-label': 'Pass rate', 'data-col': 'pass_rate' }, pct(r.pass_rate)),
      h('td', { 'data-label': 'Pass rate and 95% interval', class: 'bar-cell' }, rateBar(r)),
      h('td', { class: 'num lo', 'data-label': '95% interval' }, `${pct(r.wilson_lower, 0)}–${pct(r.wilson_upper, 0)}`),
      h('td', { class: 'num lo', 'data-label': 'Infra errors' }, r.infra_errors),
      h('td', { class: 'num', 'data-label': '$ per pass' }, r.cost_per_pass === null ? '–' : r.cost_per_pass.toFixed(4)),
    ),
  );
  root.replaceChildren(
    h('h1', {}, 'Leaderboard', filters.asOf ? ` as of ${filters.asOf}` : ''),
    h('p', { class: 'hint' }, 'Latest run of each test per model and tool format; suspected infra errors are left out and counted apart. Click a model for its pass rate over time, a header to sort.'),
    form,
    page.items.length === 0
      ? h('p', { class: 'empty', 'data-testid': 'no-rows' }, page.total === 0 ? 'No row matches these filters.' : 'No row on this page.')
      : listTable('leaderboard', COLUMNS, state, here, rows),
    pager(page, state, here, 'leaderboard-pager'),
  );
};
