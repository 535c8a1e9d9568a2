/** Every lesson's effect by one estimator (GET /effects), sorted and paged by the API; a row opens the lesson's window experiments. */
import { get } from '../api.js';
import { h, link } from '../dom.js';
import { lessonName } from '../lesson-name.js';
import type { EffectsPage } from '../types-drilldown.js';
import type { View } from './common.js';
import { pValue, signed } from './experiments.js';
import { apiListParams, filterForm, formText, hashListParams, hrefFor, listState, listTable, pager, textField, type Column } from './paging.js';

const METHODS = ['randomized-holdout', 'stratified-loo', 'pooled-loo', 'ipw'];

export const effectsView: View = async (_path, query, root) => {
  const method = METHODS.includes(query.get('method') ?? '') ? query.get('method')! : METHODS[0]!;
  const ruleSet = query.get('ruleSet') ?? '';
  const state = listState(query);
  const here = hrefFor('/effects', { method, ruleSet, ...hashListParams(state), offset: state.offset || null });
  const answer = await get<EffectsPage>('/effects', { method, ruleSet, ...apiListParams(state) });
  const withQ = answer.items.some((r) => r.q !== undefined);
  const withMde = answer.items.some((r) => r.mde !== undefined);
  const columns: Column[] = [
    { key: null, label: 'Lesson' }, { key: 'effect', label: 'Effect', numeric: true }, { key: 'width', label: 'Interval', numeric: true },
    { key: 'n', label: 'n', numeric: true }, { key: null, label: 'Injected passed', numeric: true, lo: true }, { key: null, label: 'Control passed', numeric: true, lo: true },
    { key: null, label: 'p', numeric: true },
    ...(withQ ? [{ key: null, label: 'q (FDR)', numeric: true }] : []), ...(withMde ? [{ key: null, label: 'Min. detectable', numeric: true }] : []),
    { key: null, label: 'Windows' },
  ];
  const td = (i: number, value: Node | string | number) => h('td', { 'data-label': columns[i]!.label, class: [columns[i]!.numeric ? 'num' : '', columns[i]!.lo ? 'lo' : ''].join(' ').trim() || null }, value);
  const rows = answer.items.map((r) => {
    const cellsOf: (Node | string | number)[] = [
      lessonName(r), `${signed(r.effect)}${r.significant ? ' *' : ''}`, r.lower === null || r.upper === null ? '–' : `${signed(r.lower)} … ${signed(r.upper)}`, r.n,
      r.treated.n ? `${r.treated.passes}/${r.treated.n}` : '–', r.control.n ? `${r.control.passes}/${r.control.n}` : '–',
      pValue(r),
      ...(withQ ? [r.q === null || r.q === undefined ? '–' : h('span', { class: r.discovery ? 'discovery' : null, title: r.discovery ? 'a discovery' : 'not a discovery' }, r.q.toFixed(3))] : []), ...(withMde ? [r.mde === null || r.mde === undefined ? '–' : signed(r.mde)] : []),
      h('a', { href: link('/experiments', { lesson: r.lessonId }) }, 'experiments'),
    ];
    return h('tr', { 'data-testid': 'effect', 'data-lesson': r.lessonId }, ...cellsOf.map((c, i) => td(i, c)));
  });
  const methodSelect = h('label', {}, 'Method ', h('select', { name: 'method' }, ...METHODS.map((m) => h('option', { value: m, selected: m === method }, m))));
  const form = filterForm('effects-form', [methodSelect, textField('ruleSet', 'Rule set', ruleSet, 12)], (data) => {
    location.hash = hrefFor('/effects', hashListParams(state))({ method: formText(data, 'method'), ruleSet: formText(data, 'ruleSet') });
  });
  root.replaceChildren(
    h('h1', {}, 'Lesson effects', h('span', { class: 'sub' }, ` · ${answer.method} · rule set ${answer.ruleSet}`)),
    h('p', { class: 'hint' }, 'From exposure: outcomes that received a lesson against outcomes that did not. The randomized holdout is the causal estimate; the others are observational. * the interval excludes 0; q is the false-discovery q-value over every lesson by this method, in bold a discovery at the rule set\'s level.'),
    form,
    rows.length === 0 ? h('p', { class: 'empty', 'data-testid': 'no-effects' }, answer.total === 0 ? 'No lesson has exposure recorded (POST /exposures).' : 'No lesson on this page.')
      : listTable('effects', columns, state, here, rows),
    pager(answer, state, here, 'effects-pager'),
  );
};
