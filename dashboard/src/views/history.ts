import { get } from '../api.js';
import { minute, h, link, seg } from '../dom.js';
import type { HistoryPage } from '../types.js';
import { table, type View } from './common.js';

const PAGE = 50;

/** Every outcome of one test for one model, newest first, a page at a time. */
export const historyView: View = async (path, query, root) => {
  const model = decodeURIComponent(path[0] ?? '');
  const test = decodeURIComponent(path[1] ?? '');
  const format = query.get('format') ?? '';
  const cursor = query.get('cursor') ?? '';
  const page = await get<HistoryPage>(`/models/${seg(model)}/tests/${seg(test)}/history`, { format, cursor, limit: PAGE });
  const strip = h('div', { class: 'strip', 'aria-label': 'outcomes, oldest left' },
    ...[...page.items].reverse().map((e) => h('span', {
      class: e.passed ? 'pass' : e.suspectedInfraError ? 'infra' : 'fail',
      title: `${e.runId}: ${e.passed ? 'pass' : 'fail'}`,
    })));
  root.replaceChildren(
    h('h1', {}, test, h('span', { class: 'sub' }, ` · `, h('a', { href: link(`/model/${seg(model)}`, { format }) }, model), format ? ` · ${format}` : '')),
    h('p', { class: 'hint', 'data-testid': 'history-total' }, `${page.total} outcome${page.total === 1 ? '' : 's'}, newest first.`),
    strip,
    table(['Run', 'When', 'Format', 'Result', 'Change'], page.items.map((e) => [
      e.runId, minute(e.occurredAt), e.format,
      h('span', { class: e.passed ? 'pass' : 'fail' }, e.passed ? 'pass' : e.suspectedInfraError ? 'fail (infra?)' : 'fail'),
      e.change ? h('span', { class: e.change }, e.change) : '',
    ]), { 'data-testid': 'history' }),
    h('nav', { class: 'pager' },
      cursor ? h('a', { href: link(`/history/${seg(model)}/${seg(test)}`, { format }) }, '← newest') : '',
      page.nextCursor ? h('a', { href: link(`/history/${seg(model)}/${seg(test)}`, { format, cursor: page.nextCursor }) }, 'older →') : ''),
  );
};
