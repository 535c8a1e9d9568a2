import { get } from '../api.js';
import { h, link, minute, pct, seg } from '../dom.js';
import type { CompareAnswer, Experiment, ExperimentDifference, ExperimentsAnswer } from '../types.js';
import type { View } from './common.js';
import { apiListParams, dateField, dayStart, filterForm, formText, hashListParams, hrefFor, listState, listTable, pager, textField, type Column } from './paging.js';

const signed = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} pts`);

function effectCells(e: Experiment): string[] {
  const o = e.overall;
  if (e.status === 'insufficient-data' && e.insufficient) {
    const i = e.insufficient;
    return [`too few outcomes: ${i.affectedBefore}/${i.minBefore} before, ${i.affectedAfter}/${i.minAfter} after`, '', '', ''];
  }
  if (!o) return ['–', '–', '–', '–'];
  return [`${pct(o.affectedRateBefore)} → ${pct(o.affectedRateAfter)}`, `${pct(o.controlRateBefore)} → ${pct(o.controlRateAfter)}`, signed(o.effect),
    `${o.fisherP.toFixed(3)}${o.significant ? ' *' : ''}`];
}

/** The count, then the nearest few confounders (a change can have hundreds). */
function confounderCell(e: Experiment): Node | string {
  if (e.confounders.length === 0) return 'none';
  const nearest = [...e.confounders].sort((x, y) => Math.abs(x.hoursFromChange) - Math.abs(y.hoursFromChange)).slice(0, 3);
  return h('details', {}, h('summary', {}, `${e.confounders.length} confounder(s)`),
    h('ul', {}, ...nearest.map((c) => h('li', {}, `${c.kind} ${c.subject} (${c.hoursFromChange.toFixed(1)} h): ${c.description}`))),
    e.confounders.length > nearest.length ? h('p', { class: 'hint' }, `and ${e.confounders.length - nearest.length} more`) : '');
}

const EXPERIMENT_COLUMNS: Column[] = [
  { key: 'change', label: 'Change' }, { key: 'lesson', label: 'Lesson' }, { key: 'at', label: 'When', numeric: true }, { key: 'status', label: 'Status' },
  { key: null, label: 'Affected tests' }, { key: null, label: 'Control' }, { key: 'effect', label: 'Effect (DiD)', numeric: true },
  { key: 'p', label: 'Fisher p', numeric: true }, { key: 'confounders', label: 'Confounders', numeric: true },
];
const DIFFERENCE_COLUMNS = (a: string, b: string): Column[] => [
  { key: 'change', label: 'Change' }, { key: 'lesson', label: 'Lesson' }, { key: 'at', label: 'When', numeric: true },
  { key: 'status', label: `Status ${a} → ${b}` }, { key: null, label: `Effect ${a}` }, { key: 'effect', label: `Effect ${b}`, numeric: true },
  { key: 'effectChange', label: 'Change in effect', numeric: true }, { key: null, label: 'Why' },
];
const STATUSES = ['', 'isolated', 'confounded', 'insufficient-data'];

const statusSelect = (value: string) =>
  h('label', {}, 'Status ', h('select', { name: 'status' }, ...STATUSES.map((s) => h('option', { value: s, selected: s === value }, s || 'any'))));

const cells = (testid: string, values: (Node | string)[], labels: string[]) =>
  h('tr', { 'data-testid': testid }, ...values.map((v, i) => h('td', { 'data-label': labels[i] ?? '' }, v)));

/** Lesson changes as experiments under a rule set (isolated, confounded, short of data), a page at a time. */
export const experimentsView: View = async (_path, query, root) => {
  const names = ['ruleSet', 'status', 'lesson', 'model', 'from', 'to'] as const;
  const f = Object.fromEntries(names.map((n) => [n, query.get(n) ?? ''])) as Record<(typeof names)[number], string>;
  const state = listState(query);
  const here = hrefFor('/experiments', { ...f, ...hashListParams(state), offset: state.offset || null });
  const answer = await get<ExperimentsAnswer>('/experiments', { ...f, from: dayStart(f.from), to: dayStart(f.to), ...apiListParams(state) });
  const form = filterForm('experiments-form', [
    textField('ruleSet', 'Rule set', f.ruleSet, 12), statusSelect(f.status), textField('lesson', 'Lesson', f.lesson, 12), textField('model', 'Model', f.model, 14),
    dateField('from', 'From', f.from), dateField('to', 'before', f.to),
  ], (data) => {
    location.hash = hrefFor('/experiments', hashListParams(state))(Object.fromEntries(names.map((n) => [n, formText(data, n)])));
  });
  const labels = EXPERIMENT_COLUMNS.map((c) => c.label);
  const rows = answer.items.map((e) => {
    const [affected, control, effect, p] = effectCells(e);
    return cells('experiment', [e.changeId, h('a', { href: link(`/lesson/${seg(e.lessonId)}`) }, e.lessonId), minute(e.at), h('span', { class: `status ${e.status}` }, e.status),
      affected!, control!, effect!, p!, confounderCell(e)], labels);
  });
  const c = answer.counts;
  root.replaceChildren(
    h('h1', {}, 'Experiments', h('span', { class: 'sub' }, ` · rule set ${answer.ruleSetId}`)),
    h('nav', { class: 'tabs' }, h('a', { href: link('/experiments'), class: 'active' }, 'Windows'), h('a', { href: link('/compare', { a: 'default', b: f.ruleSet }) }, 'Compare two rule sets')),
    form,
    h('p', { class: 'hint', 'data-testid': 'experiment-counts' },
      `${answer.total} lesson change(s): ${c.isolated ?? 0} isolated, ${c.confounded ?? 0} confounded, ${c['insufficient-data'] ?? 0} with too little data.`),
    rows.length === 0 ? h('p', { class: 'empty' }, answer.total === 0 ? 'No lesson change to analyse (with these filters).' : 'No lesson change on this page.')
      : listTable('experiments', EXPERIMENT_COLUMNS, state, here, rows),
    pager(answer, state, here, 'experiments-pager'),
  );
};

/** Which lesson changes switch status, effect sign or significance between rule sets a and b, and why; a page at a time. */
export const compareView: View = async (_path, query, root) => {
  const a = query.get('a') || 'default';
  const b = query.get('b') || 'default';
  const status = query.get('status') ?? '';
  const lesson = query.get('lesson') ?? '';
  const state = listState(query);
  const here = hrefFor('/compare', { a, b, status, lesson, ...hashListParams(state), offset: state.offset || null });
  const answer = await get<CompareAnswer>('/analyses/compare', { a, b, status, lesson, ...apiListParams(state) });
  const form = filterForm('compare-form', [textField('a', 'A', a, 12), textField('b', 'B', b, 12), statusSelect(status), textField('lesson', 'Lesson', lesson, 12)], (data) => {
    location.hash = hrefFor('/compare', hashListParams(state))({ a: formText(data, 'a'), b: formText(data, 'b'), status: formText(data, 'status'), lesson: formText(data, 'lesson') });
  });
  const columns = DIFFERENCE_COLUMNS(answer.a, answer.b);
  const labels = columns.map((col) => col.label);
  const change = (d: ExperimentDifference) => (d.effectA !== null && d.effectB !== null ? signed(d.effectB - d.effectA) : '–');
  root.replaceChildren(
    h('h1', {}, 'Compare rule sets', h('span', { class: 'sub' }, ` · ${answer.a} vs ${answer.b}`)),
    h('nav', { class: 'tabs' }, h('a', { href: link('/experiments', { ruleSet: b === 'default' ? '' : b }) }, 'Windows'), h('a', { href: link('/compare', { a, b }), class: 'active' }, 'Compare two rule sets')),
    form,
    h('p', { class: 'hint', 'data-testid': 'compare-summary' },
      `${answer.summary.experiments ?? 0} experiment(s): ${answer.summary.statusChanged ?? 0} change status, ${answer.summary.signChanged ?? 0} change the effect's sign, ${answer.summary.significanceChanged ?? 0} change significance.`),
    answer.total === 0 ? h('p', { class: 'none', 'data-testid': 'no-differences' }, 'The two rule sets agree on every lesson change (with these filters).')
      : listTable('differences', columns, state, here, answer.items.map((d) => cells('difference', [d.changeId, h('a', { href: link(`/lesson/${seg(d.lessonId)}`) }, d.lessonId),
          minute(d.at), `${d.statusA ?? '–'} → ${d.statusB ?? '–'}`, signed(d.effectA), signed(d.effectB), change(d), d.reason], labels))),
    pager(answer, state, here, 'compare-pager'),
  );
};
