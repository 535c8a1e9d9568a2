import { get } from '../api.js';
import { minute, h, link, seg } from '../dom.js';
import type { HistoryPage } from '../types.js';
import { table, type View } from './common.js';
import { dateField, dayStart, DEFAULT_PAGE_SIZE, filterForm, formText, pageSize, pageSizeSelect, textField } from './paging.js';

/** Every outcome of one test for one model, newest first, a page at a time (the API's cursor: newest, then older). */
export const historyView: View = async (path, query, root) => {
  const model = decodeURIComponent(path[0] ?? '');
  const test = decodeURIComponent(path[1] ?? '');
  const format = query.get('format') ?? '';
  const suite = query.get('suite') ?? '';
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const cursor = query.get('cursor') ?? '';
  const limit = pageSize(query);
  const route = `/history/${seg(model)}/${seg(test)}`;
  const filters = { format, suite, from, to };
  const at = (changes: Record<string, string | number>) => link(route, { ...filters, limit: limit === DEFAULT_PAGE_SIZE ? '' : limit, ...changes });
  const page = await get<HistoryPage>(`/models/${seg(model)}/tests/${seg(test)}/history`, { format, suite, from: dayStart(from), to: dayStart(to), cursor, limit });
  const form = filterForm('history-filters', [textField('format', 'Format', format), textField('suite', 'Suite', suite), dateField('from', 'From', from), dateField('to', 'before', to)], (data) => {
    location.hash = link(route, { format: formText(data, 'format'), suite: formText(data, 'suite'), from: formText(data, 'from'), to: formText(data, 'to'), limit: limit === DEFAULT_PAGE_SIZE ? '' : limit });
  });
  const strip = h('div', { class: 'strip', 'aria-label': 'outcomes, oldest left' },
    ...[...page.items].reverse().map((e) => h('span', {
      class: e.passed ? 'pass' : e.suspectedInfraError ? 'infra' : 'fail',
      title: `${e.runId}: ${e.passed ? 'pass' : 'fail'}`,
    })));
  const size = pageSizeSelect(limit, 'outcomes per page');
  size.addEventListener('change', () => {
    location.hash = link(route, { ...filters, limit: Number(size.value) === DEFAULT_PAGE_SIZE ? '' : size.value });
  });
  root.replaceChildren(
    h('h1', {}, test, h('span', { class: 'sub' }, ` · `, h('a', { href: link(`/model/${seg(model)}`, { format }) }, model), format ? ` · ${format}` : '', suite ? ` · suite ${suite}` : '')),
    form,
    h('p', { class: 'hint', 'data-testid': 'history-total' }, `${page.total} outcome${page.total === 1 ? '' : 's'}, newest first.`),
    strip,
    table(['Run', 'When', 'Format', 'Suite', 'Result', 'Change'], page.items.map((e) => [
      e.runId, minute(e.occurredAt), e.format, e.suite ?? '–',
      h('span', { class: e.passed ? 'pass' : 'fail' }, e.passed ? 'pass' : e.suspectedInfraError ? 'fail (infra?)' : 'fail'),
      e.change ? h('span', { class: e.change }, e.change) : '',
    ]), { 'data-testid': 'history' }),
    h('nav', { class: 'pager', 'data-testid': 'history-pager' },
      cursor ? h('a', { href: at({}) }, '← newest') : '',
      page.nextCursor ? h('a', { href: at({ cursor: page.nextCursor }), rel: 'next' }, 'older →') : '',
      size),
  );
};
