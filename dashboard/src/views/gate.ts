/**
 * The injection gate (GET /injection-gate): per (model, eval test) the pass rate with lessons against without, the
 * delta, Fisher p, its q-value over every pair tested and the recommendation gptme's runner acts on, a page at a
 * time; a row opens each lesson's own contrast in that pair.
 */
import { get } from '../api.js';
import { h, seg } from '../dom.js';
import { lessonName } from '../lesson-name.js';
import type { GateLesson, GatePairAnswer, GatePairs, GateRecommendation } from '../types-review.js';
import type { View } from './common.js';
import { Expander, type Detail } from './expand.js';
import { CONTRAST_LABELS, contrastCells } from './gate-cells.js';
import { apiListParams, filterForm, formText, hashListParams, hrefFor, listState, listTable, pager, textField, type Column } from './paging.js';

const RECOMMENDATIONS: GateRecommendation[] = ['inject', 'suppress', 'default'];
const COLUMNS: Column[] = [
  { key: null, label: 'Model' }, { key: null, label: 'Test' },
  ...CONTRAST_LABELS.map((label, i) => ({ key: null, label, numeric: i > 0 })), { key: null, label: 'Lessons' },
];

const lessonCell = (l: GateLesson) => (l.lessonId !== null ? lessonName({ ...l, lessonId: l.lessonId }) : h('span', { class: 'lesson-name', title: l.lessonRef }, l.lessonPath ?? l.lessonRef));

async function lessonsDetail(model: string, test: string, ruleSet: string): Promise<Detail> {
  const answer = await get<GatePairAnswer>('/injection-gate', { model, test, ruleSet: ruleSet === 'default' ? '' : ruleSet });
  const { pair } = answer;
  const head = ['Lesson', ...CONTRAST_LABELS];
  const rows = answer.lessons.map((l) => h('tr', { 'data-testid': 'gate-lesson', 'data-lesson': l.lessonRef },
    ...[lessonCell(l), ...contrastCells(l)].map((c, i) => h('td', { 'data-label': head[i]!, class: i > 1 ? 'num' : null }, c))));
  const el = h('div', {},
    h('p', { class: 'hint', 'data-testid': 'gate-evidence' },
      `Evidence: ${pair.evidence.withLessons.length} outcome(s) with lessons, ${pair.evidence.withoutLessons.length} without; ${pair.infraErrorsExcluded} suspected infra error(s) left out. Each lesson: outcomes it was injected in against outcomes it was held out of; q over this pair's lessons.`),
    rows.length === 0 ? h('p', { class: 'empty' }, 'No lesson was injected or held out in this pair.')
      : h('table', { class: 'compact', 'data-testid': 'gate-lessons' }, h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { class: i > 1 ? 'num' : null }, c)))), h('tbody', {}, ...rows)));
  return { el };
}

export const gateView: View = async (_path, query, root) => {
  const ruleSet = query.get('ruleSet') || 'default';
  const show = RECOMMENDATIONS.find((r) => r === query.get('show')) ?? '';
  const state = listState(query);
  const base = { ruleSet: ruleSet === 'default' ? '' : ruleSet, show, ...hashListParams(state) };
  const here = hrefFor('/gate', { ...base, offset: state.offset || null });
  const { limit, offset } = apiListParams(state);
  const answer = await get<GatePairs>('/injection-gate', { ruleSet: base.ruleSet, recommendation: show, limit, offset });
  const expander = new Expander();
  const rows = answer.pairs.map((p) => {
    const row = h('tr', { 'data-testid': 'gate-pair', 'data-model': p.model, 'data-test': p.test },
      ...[p.model, p.test, ...contrastCells(p), ''].map((c, i) => h('td', { 'data-label': COLUMNS[i]!.label, class: COLUMNS[i]!.numeric ? 'num' : null }, c)));
    row.lastElementChild!.append(expander.toggle(row, COLUMNS.length, () => lessonsDetail(p.model, p.test, answer.ruleSet), 'per lesson'));
    return row;
  });
  const all = RECOMMENDATIONS.reduce((n, r) => n + answer.counts[r], 0);
  const tab = (value: GateRecommendation | '', label: string) =>
    h('a', { href: hrefFor('/gate', base)({ show: value || null }), class: show === value ? 'active' : null, 'data-tab': value || 'all' }, label);
  const form = filterForm('gate-form', [textField('ruleSet', 'Rule set', base.ruleSet, 12)], (data) => {
    location.hash = hrefFor('/gate', { ...base, offset: null })({ ruleSet: formText(data, 'ruleSet') });
  });
  const r = answer.rules;
  root.replaceChildren(
    h('h1', {}, 'Injection gate', h('span', { class: 'sub' }, ` · rule set ${answer.ruleSet}`)),
    h('p', { class: 'hint', 'data-testid': 'gate-rules' },
      `Lessons on vs off per model and eval test, from exposure. inject or suppress needs q ≤ ${r.gateFdrLevel} (${r.gateFdrMethod.toUpperCase()} over every pair tested) and at least ${r.gateMinOutcomesPerArm} outcomes on each side; without lessons counts ${r.gateHoldoutSources}. The file gptme reads: `,
      h('a', { href: `/injection-gate?format=gptme${base.ruleSet ? `&ruleSet=${seg(base.ruleSet)}` : ''}` }, 'GET /injection-gate?format=gptme'), '.'),
    form,
    h('nav', { class: 'tabs', 'data-testid': 'gate-tabs' }, tab('', `All ${all}`), ...RECOMMENDATIONS.map((x) => tab(x, `${x} ${answer.counts[x]}`))),
    rows.length === 0 ? h('p', { class: 'empty', 'data-testid': 'no-gate' }, all === 0 ? 'No exposed outcome yet (POST /exposures, or lessonloop import exposures).' : 'No pair on this page.')
      : listTable('gate', COLUMNS, state, here, rows),
    pager({ offset: answer.offset, total: answer.total, items: answer.pairs }, state, here, 'gate-pager'),
  );
  return () => expander.destroy();
};
