import { get } from '../api.js';
import { h, link, pct, seg } from '../dom.js';
import type { LeaderboardRow, Page } from '../types.js';
import { emptyStoreMessage, storeIsEmpty, type View } from './common.js';

const PAGE = 50;

type Key = 'model' | 'format' | 'suite' | 'tests' | 'passes' | 'pass_rate' | 'wilson_lower' | 'infra_errors' | 'cost_per_pass';
const COLUMNS: { key: Key; label: string; numeric: boolean }[] = [
  { key: 'model', label: 'Model', numeric: false },
  { key: 'format', label: 'Format', numeric: false },
  { key: 'suite', label: 'Suite', numeric: false },
  { key: 'tests', label: 'Tests', numeric: true },
  { key: 'passes', label: 'Passed', numeric: true },
  { key: 'pass_rate', label: 'Pass rate', numeric: true },
  { key: 'wilson_lower', label: '95% interval', numeric: true },
  { key: 'infra_errors', label: 'Infra errors', numeric: true },
  { key: 'cost_per_pass', label: '$ per pass', numeric: true },
];

/** The API has no sort: the shown page is sorted here (rows come ranked by the API). */
function sortRows(rows: LeaderboardRow[], key: Key | null, dir: 'asc' | 'desc'): LeaderboardRow[] {
  if (!key) return rows;
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}

export const leaderboardView: View = async (_path, query, root) => {
  const params = {
    format: query.get('format') ?? '',
    suite: query.get('suite') ?? '',
    bySuite: query.get('bySuite') === 'true' ? 'true' : '',
    asOf: query.get('asOf') ?? '',
    offset: Number(query.get('offset') ?? 0) || 0,
  };
  const sort = (query.get('sort') as Key | null) ?? null;
  const dir = query.get('dir') === 'asc' ? 'asc' : 'desc';
  const here = (changes: Record<string, string | number | null>) =>
    link('/', { ...params, sort, dir, ...changes });

  if (await storeIsEmpty()) {
    root.replaceChildren(emptyStoreMessage());
    return;
  }
  const page = await get<Page<LeaderboardRow>>('/leaderboard', {
    limit: PAGE,
    offset: params.offset,
    format: params.format,
    suite: params.suite,
    bySuite: params.bySuite,
    asOf: params.asOf ? new Date(`${params.asOf}T00:00:00Z`).toISOString() : '',
  });

  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'leaderboard-filters' },
    h('label', {}, 'Format ', h('input', { name: 'format', value: params.format, placeholder: 'any', size: 10 })),
    h('label', {}, 'Suite ', h('input', { name: 'suite', value: params.suite, placeholder: 'any', size: 10 })),
    h('label', {}, h('input', { type: 'checkbox', name: 'bySuite', checked: params.bySuite === 'true' }), ' per suite'),
    h('label', {}, 'As of ', h('input', { type: 'date', name: 'asOf', value: params.asOf })),
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    location.hash = link('/', {
      format: String(data.get('format') ?? '').trim(),
      suite: String(data.get('suite') ?? '').trim(),
      bySuite: data.get('bySuite') ? 'true' : '',
      asOf: String(data.get('asOf') ?? ''),
      sort,
      dir,
    });
  });

  const rows = sortRows(page.items, sort, dir);
  const head = h(
    'tr',
    {},
    ...COLUMNS.map((c) => {
      const active = sort === c.key;
      const next = active && dir === 'desc' ? 'asc' : 'desc';
      return h(
        'th',
        { scope: 'col', class: c.numeric ? 'num' : '', 'aria-sort': active ? (dir === 'asc' ? 'ascending' : 'descending') : null },
        h('a', { href: here({ sort: c.key, dir: next }), 'data-sort': c.key }, c.label, active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''),
      );
    }),
  );
  const body = h(
    'tbody',
    {},
    ...rows.map((r) =>
      h(
        'tr',
        { 'data-model': r.model, 'data-format': r.format },
        h('td', { 'data-label': 'Model' }, h('a', { href: link(`/model/${seg(r.model)}`, { format: r.format }) }, r.model)),
        h('td', { 'data-label': 'Format' }, r.format),
        h('td', { 'data-label': 'Suite' }, r.suite === null ? 'all' : r.suite || '–'),
        h('td', { class: 'num', 'data-label': 'Tests' }, r.tests),
        h('td', { class: 'num', 'data-label': 'Passed' }, `${r.passes}/${r.attempts}`),
        h('td', { class: 'num', 'data-label': 'Pass rate', 'data-col': 'pass_rate' }, pct(r.pass_rate)),
        h('td', { class: 'num', 'data-label': '95% interval' }, `${pct(r.wilson_lower, 0)}–${pct(r.wilson_upper, 0)}`),
        h('td', { class: 'num', 'data-label': 'Infra errors' }, r.infra_errors),
        h('td', { class: 'num', 'data-label': '$ per pass' }, r.cost_per_pass === null ? '–' : r.cost_per_pass.toFixed(4)),
      ),
    ),
  );
  const last = Math.min(page.offset + page.items.length, page.total);
  const pager = h(
    'nav',
    { class: 'pager' },
    page.offset > 0 ? h('a', { href: here({ offset: Math.max(0, page.offset - PAGE) }) }, '← previous') : '',
    h('span', { 'data-testid': 'leaderboard-count' }, `rows ${page.total === 0 ? 0 : page.offset + 1}–${last} of ${page.total}`),
    last < page.total ? h('a', { href: here({ offset: page.offset + PAGE }) }, 'next →') : '',
  );
  root.replaceChildren(
    h('h1', {}, 'Leaderboard', params.asOf ? ` as of ${params.asOf}` : ''),
    h('p', { class: 'hint' }, 'Latest run of each test per model and tool format; suspected infra errors are left out and counted apart. Click a model for its pass rate over time.'),
    form,
    page.items.length === 0
      ? h('p', { class: 'empty', 'data-testid': 'no-rows' }, 'No row matches these filters.')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'cards', 'data-testid': 'leaderboard' }, h('thead', {}, head), body)),
    pager,
  );
};
