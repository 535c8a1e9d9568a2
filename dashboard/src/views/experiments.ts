import { get } from '../api.js';
import { h, link, minute, pct, seg } from '../dom.js';
import { lessonName } from '../lesson-name.js';
import type { CompareAnswer, Experiment, ExperimentDifference, ExperimentsAnswer } from '../types.js';
import type { ExperimentSeries } from '../types-drilldown.js';
import type { View } from './common.js';
import { experimentPicture } from './experiment-picture.js';
import { Expander, type Detail } from './expand.js';
import { apiListParams, dateField, dayStart, filterForm, formText, hashListParams, hrefFor, listState, listTable, pager, textField, type Column } from './paging.js';

/** An effect estimate's p (Fisher's for the randomized holdout), '–' when untestable. */
export const pValue = (r: { p?: number | null; fisherP?: number }) => {
  const p = r.p ?? r.fisherP;
  return p === null || p === undefined ? '–' : p.toFixed(3);
};

export const signed = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} pts`);

/** The smallest change the windows detect, either way: '–' when the API gives none. */
export const detectable = (mde: number | null | undefined) => (mde === null || mde === undefined ? '–' : `±${(mde * 100).toFixed(1)} pts`);

function effectCells(e: Experiment): string[] {
  const o = e.overall;
  if (e.status === 'insufficient-data' && e.insufficient) {
    const i = e.insufficient;
    return [`too few: ${i.affectedBefore}/${i.minBefore} before, ${i.affectedAfter}/${i.minAfter} after`, '', '', '', '', ''];
  }
  if (!o) return ['–', '–', '–', '–', '–', '–'];
  return [`${pct(o.affectedRateBefore)} → ${pct(o.affectedRateAfter)}`, `${pct(o.controlRateBefore)} → ${pct(o.controlRateAfter)}`, signed(o.effect),
    `${o.fisherP.toFixed(3)}${o.significant ? ' *' : ''}`, o.q === undefined ? '–' : o.q.toFixed(3), detectable(o.minimumDetectableEffect)];
}

/** The count and kinds; the list itself is in the row's window picture. */
function confounderCell(e: Experiment): string {
  if (e.confounders.length === 0) return 'none';
  const kinds = [...new Set(e.confounders.map((c) => c.kind))];
  return `${e.confounders.length}: ${kinds.slice(0, 2).join(', ')}${kinds.length > 2 ? '…' : ''}`;
}

/** `lo`: dropped below 1180 px (the expanded row shows them). */
const EXPERIMENT_COLUMNS: Column[] = [
  { key: 'lesson', label: 'Lesson' }, { key: 'at', label: 'When', numeric: true }, { key: 'status', label: 'Status' },
  { key: null, label: 'Affected', lo: true }, { key: null, label: 'Control', lo: true }, { key: 'effect', label: 'Effect (DiD)', numeric: true },
  { key: 'p', label: 'Fisher p', numeric: true }, { key: null, label: 'q (FDR)', numeric: true }, { key: null, label: 'Detectable', numeric: true, lo: true },
  { key: 'confounders', label: 'Confounders', numeric: true }, { key: null, label: 'Window' },
];
const DIFFERENCE_COLUMNS = (a: string, b: string): (Column & { wrap?: boolean })[] => [
  { key: 'lesson', label: 'Lesson' }, { key: 'at', label: 'When', numeric: true, lo: true },
  { key: 'status', label: `Status ${a} → ${b}` }, { key: null, label: `Effect ${a}`, lo: true }, { key: 'effect', label: `Effect ${b}`, numeric: true },
  { key: 'effectChange', label: 'Change in effect', numeric: true, lo: true }, { key: null, label: 'Why', wrap: true }, { key: null, label: 'Windows' },
];
const STATUSES = ['', 'isolated', 'confounded', 'insufficient-data'];

const statusSelect = (value: string) =>
  h('label', {}, 'Status ', h('select', { name: 'status' }, ...STATUSES.map((s) => h('option', { value: s, selected: s === value }, s || 'any'))));

function cells(testid: string, values: (Node | string)[], columns: (Column & { wrap?: boolean })[], attrs: Record<string, string> = {}): HTMLTableRowElement {
  const cls = (c: (Column & { wrap?: boolean }) | undefined) => [c?.lo ? 'lo' : '', c?.wrap ? 'wrap' : ''].join(' ').trim() || null;
  return h('tr', { 'data-testid': testid, ...attrs }, ...values.map((v, i) => h('td', { 'data-label': columns[i]?.label ?? '', class: cls(columns[i]) }, v)));
}

export const seriesOf = (changeId: string, ruleSet: string) => get<ExperimentSeries>(`/experiments/${seg(changeId)}/series`, { ruleSet: ruleSet === 'default' ? '' : ruleSet });

async function windowDetail(changeId: string, ruleSet: string): Promise<Detail> {
  const picture = experimentPicture(await seriesOf(changeId, ruleSet), 'window');
  return { el: h('div', {}, picture.el, h('p', {}, h('a', { href: link(`/experiment/${seg(changeId)}`, { ruleSet }) }, 'the experiment page, with the lesson\'s effect estimates →'))), draw: picture.draw, destroy: picture.destroy };
}

/** Lesson changes as experiments under a rule set (isolated, confounded, short of data), a page at a time. */
export const experimentsView: View = async (_path, query, root) => {
  const names = ['ruleSet', 'status', 'lesson', 'model', 'from', 'to'] as const;
  const f = Object.fromEntries(names.map((n) => [n, query.get(n) ?? ''])) as Record<(typeof names)[number], string>;
  const state = listState(query);
  const here = hrefFor('/experiments', { ...f, ...hashListParams(state), offset: state.offset || null });
  const answer = await get<ExperimentsAnswer>('/experiments', { ...f, from: dayStart(f.from), to: dayStart(f.to), ...apiListParams(state) });
  const form = filterForm('experiments-form', [
    textField('ruleSet', 'Rule set', f.ruleSet, 12), statusSelect(f.status), textField('lesson', 'Lesson id', f.lesson, 12), textField('model', 'Model', f.model, 14),
    dateField('from', 'From', f.from), dateField('to', 'before', f.to),
  ], (data) => {
    location.hash = hrefFor('/experiments', hashListParams(state))(Object.fromEntries(names.map((n) => [n, formText(data, n)])));
  });
  const expander = new Expander();
  const rows = answer.items.map((e) => {
    const row = cells('experiment', [lessonName(e), h('span', { title: e.changeId }, minute(e.at)), h('span', { class: `status ${e.status}` }, e.status),
      ...effectCells(e), confounderCell(e), ''], EXPERIMENT_COLUMNS, { 'data-change': e.changeId });
    row.lastElementChild!.append(expander.toggle(row, EXPERIMENT_COLUMNS.length, () => windowDetail(e.changeId, answer.ruleSetId), 'window'));
    return row;
  });
  const c = answer.counts;
  root.replaceChildren(
    h('h1', {}, 'Experiments', h('span', { class: 'sub' }, ` · rule set ${answer.ruleSetId}`)),
    h('nav', { class: 'tabs' }, h('a', { href: link('/experiments'), class: 'active' }, 'Windows'), h('a', { href: link('/compare', { a: 'default', b: f.ruleSet }) }, 'Compare two rule sets')),
    form,
    h('p', { class: 'hint', 'data-testid': 'experiment-counts' },
      `${answer.total} lesson change(s): ${c.isolated ?? 0} isolated, ${c.confounded ?? 0} confounded, ${c['insufficient-data'] ?? 0} with too little data. Open a row's window for its picture.`),
    rows.length === 0 ? h('p', { class: 'empty' }, answer.total === 0 ? 'No lesson change to analyse (with these filters).' : 'No lesson change on this page.')
      : listTable('experiments', EXPERIMENT_COLUMNS, state, here, rows),
    pager(answer, state, here, 'experiments-pager'),
  );
  return () => expander.destroy();
};

/** a's and b's pictures of one lesson change side by side. */
async function compareDetail(changeId: string, a: string, b: string): Promise<Detail> {
  const [sa, sb] = await Promise.all([seriesOf(changeId, a), seriesOf(changeId, b)]);
  const pa = experimentPicture(sa, 'window-a', `Under ${a}`);
  const pb = experimentPicture(sb, 'window-b', `Under ${b}`);
  return { el: h('div', { class: 'pair' }, pa.el, pb.el), draw: () => { pa.draw(); pb.draw(); }, destroy: () => { pa.destroy(); pb.destroy(); } };
}

/** Which lesson changes switch status, effect sign or significance between rule sets a and b, and why; a page at a time. */
export const compareView: View = async (_path, query, root) => {
  const a = query.get('a') || 'default';
  const b = query.get('b') || 'default';
  const status = query.get('status') ?? '';
  const lesson = query.get('lesson') ?? '';
  const state = listState(query);
  const here = hrefFor('/compare', { a, b, status, lesson, ...hashListParams(state), offset: state.offset || null });
  const answer = await get<CompareAnswer>('/analyses/compare', { a, b, status, lesson, ...apiListParams(state) });
  const form = filterForm('compare-form', [textField('a', 'A', a, 12), textField('b', 'B', b, 12), statusSelect(status), textField('lesson', 'Lesson id', lesson, 12)], (data) => {
    location.hash = hrefFor('/compare', hashListParams(state))({ a: formText(data, 'a'), b: formText(data, 'b'), status: formText(data, 'status'), lesson: formText(data, 'lesson') });
  });
  const columns = DIFFERENCE_COLUMNS(answer.a, answer.b);
  const change = (d: ExperimentDifference) => (d.effectA !== null && d.effectB !== null ? signed(d.effectB - d.effectA) : '–');
  const expander = new Expander();
  const rows = answer.items.map((d) => {
    const row = cells('difference', [lessonName(d), h('span', { title: d.changeId }, minute(d.at)), `${d.statusA ?? '–'} → ${d.statusB ?? '–'}`, signed(d.effectA), signed(d.effectB), change(d), d.reason, ''],
      columns, { 'data-change': d.changeId });
    row.lastElementChild!.append(expander.toggle(row, columns.length, () => compareDetail(d.changeId, answer.a, answer.b), 'a | b'));
    return row;
  });
  root.replaceChildren(
    h('h1', {}, 'Compare rule sets', h('span', { class: 'sub' }, ` · ${answer.a} vs ${answer.b}`)),
    h('nav', { class: 'tabs' }, h('a', { href: link('/experiments', { ruleSet: b === 'default' ? '' : b }) }, 'Windows'), h('a', { href: link('/compare', { a, b }), class: 'active' }, 'Compare two rule sets')),
    form,
    h('p', { class: 'hint', 'data-testid': 'compare-summary' },
      `${answer.summary.experiments ?? 0} experiment(s): ${answer.summary.statusChanged ?? 0} change status, ${answer.summary.signChanged ?? 0} change the effect's sign, ${answer.summary.significanceChanged ?? 0} change significance.`),
    answer.total === 0 ? h('p', { class: 'none', 'data-testid': 'no-differences' }, 'The two rule sets agree on every lesson change (with these filters).')
      : listTable('differences', columns, state, here, rows),
    pager(answer, state, here, 'compare-pager'),
  );
  return () => expander.destroy();
};
