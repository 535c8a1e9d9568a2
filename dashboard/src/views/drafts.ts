/**
 * The drafts review queue (GET /drafts): lessons proposed from recurring failures, in the order proposed, with
 * their pattern, statistics and review, a page at a time (the API's `after` cursor); a row opens its evidence.
 */
import { get } from '../api.js';
import { h, link, minute } from '../dom.js';
import type { Draft, DraftPage, DraftStatus } from '../types-review.js';
import type { View } from './common.js';
import { draftDetail } from './draft-detail.js';
import { Expander } from './expand.js';
import { DEFAULT_PAGE_SIZE, pageSize, pageSizeSelect } from './paging.js';

const STATUSES: DraftStatus[] = ['proposed', 'accepted', 'rejected'];
/** `lo`: dropped below 1180 px (the row's details show them). */
const COLUMNS = [
  { label: 'Draft', wrap: true }, { label: 'Status' }, { label: 'Pattern', wrap: true }, { label: 'Failures', num: true }, { label: 'Runs', num: true, lo: true },
  { label: 'Models', num: true, lo: true }, { label: 'Background', num: true, lo: true }, { label: 'p', num: true }, { label: 'q (FDR)', num: true },
  { label: 'Proposed', num: true, lo: true }, { label: 'Evidence' },
];

const sci = (v: number) => (v === 0 ? '0' : v < 0.001 ? v.toExponential(1) : v.toFixed(3));

function cells(d: Draft): (Node | string)[] {
  const s = d.statistics;
  return [
    h('span', { title: d.path, 'data-draft-title': '' }, d.title), h('span', { class: `status ${d.status}` }, d.status),
    h('span', {}, h('b', {}, `${d.pattern.kind} · ${d.pattern.testFamily}`), h('br'), h('code', { title: d.pattern.signature }, d.pattern.signature.slice(0, 120))),
    h('span', { title: `the family had ${s.familyOutcomes} outcome(s) in the pattern's window` }, String(s.failures)), String(s.runs), String(s.models), `${(s.backgroundRate * 100).toFixed(2)}%`, sci(s.pValue), sci(s.qValue), minute(d.proposedAt), '',
  ];
}

export const draftsView: View = async (_path, query, root) => {
  const status = STATUSES.find((x) => x === query.get('status')) ?? '';
  const after = query.get('after') ?? '';
  const limit = pageSize(query);
  const at = (changes: Record<string, string>) => link('/drafts', { status, limit: limit === DEFAULT_PAGE_SIZE ? '' : limit, ...changes });
  const page = await get<DraftPage>('/drafts', { status, after, limit, evidence: 'false' });
  const expander = new Expander();
  const rows = page.drafts.map((d) => {
    const row = h('tr', { 'data-testid': 'draft', 'data-draft': d.draftId, 'data-status': d.status },
      ...cells(d).map((c, i) => h('td', { 'data-label': COLUMNS[i]!.label, class: [COLUMNS[i]!.num ? 'num' : '', COLUMNS[i]!.lo ? 'lo' : '', COLUMNS[i]!.wrap ? 'wrap' : ''].join(' ').trim() || null }, c)));
    row.lastElementChild!.append(expander.toggle(row, COLUMNS.length, () => draftDetail(d.draftId), 'evidence'));
    return row;
  });
  const size = pageSizeSelect(limit, 'drafts per page');
  size.addEventListener('change', () => {
    location.hash = link('/drafts', { status, limit: Number(size.value) === DEFAULT_PAGE_SIZE ? '' : size.value });
  });
  const tab = (value: DraftStatus | '') => h('a', { href: link('/drafts', { status: value }), class: status === value ? 'active' : null, 'data-tab': value || 'all' }, value || 'all');
  root.replaceChildren(
    h('h1', {}, 'Lesson drafts', h('span', { class: 'sub' }, ' · review queue')),
    h('p', { class: 'hint' }, 'Error patterns that recur in failing logs far more often on some tests than elsewhere, each proposed as a lesson (lessonloop drafts detect). Failures: the pattern\'s failures (hover: the family\'s outcomes in its window); background: its rate elsewhere; p: one-sided Fisher, q: Benjamini–Hochberg over the window\'s candidates.'),
    h('nav', { class: 'tabs', 'data-testid': 'draft-tabs' }, ...['' as const, ...STATUSES].map(tab)),
    rows.length === 0 ? h('p', { class: 'empty', 'data-testid': 'no-drafts' }, page.total === 0 ? 'No draft (with this status). lessonloop drafts detect proposes them.' : 'No draft on this page.')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'cards', 'data-testid': 'drafts' },
        h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col', class: [c.num ? 'num' : '', c.lo ? 'lo' : ''].join(' ').trim() || null }, c.label)))),
        h('tbody', {}, ...rows))),
    h('nav', { class: 'pager', 'data-testid': 'drafts-pager' },
      after ? h('a', { href: at({}) }, '← first page') : '',
      h('span', { class: 'count', 'data-testid': 'drafts-count' }, `${page.drafts.length} of ${page.total} draft(s)${after ? ' after the previous page' : ''}`),
      page.next ? h('a', { href: at({ after: page.next }), rel: 'next' }, 'next →') : '', size),
  );
  return () => expander.destroy();
};
