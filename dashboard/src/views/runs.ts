/** A run's outcomes by model and test (#/runs/<id>), and two runs side by side (#/runs/<a>/diff/<b>), paged by the API. */
import { get } from '../api.js';
import { h, link, minute, seg } from '../dom.js';
import type { DiffChange, DiffItem, DiffSide, RunDiff, RunOutcome, RunOutcomes, RunSummary } from '../types-drilldown.js';
import type { View } from './common.js';
import { Expander } from './expand.js';
import { filterForm, formText, hrefFor, listState, pager, textField } from './paging.js';

const RESULTS = ['', 'pass', 'fail', 'infra'];
const CHANGES: [DiffChange, string][] = [
  ['new-failure', 'New failures'], ['new-pass', 'New passes'], ['new-infra', 'New infra errors'], ['only-a', 'Only in a'], ['only-b', 'Only in b'], ['unchanged', 'Unchanged'],
];
const money = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `$${v.toFixed(4)}`);
const secs = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v.toFixed(1)} s`);
const count = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toLocaleString('en'));
const result = (r: string) => h('span', { class: `result ${r}` }, r);

function th(label: string, cls = ''): HTMLElement {
  return h('th', { scope: 'col', class: cls || null }, label);
}
function td(label: string, value: Node | string | number, cls = ''): HTMLElement {
  return h('td', { 'data-label': label, class: cls || null }, value);
}

function runFacts(run: RunSummary): HTMLElement {
  return h('p', { class: 'hint', 'data-testid': 'run-facts' }, `started ${minute(run.startedAt)} · suite ${run.suite ?? '–'} · source ${run.source} · ` +
    `${run.counts.outcomes} outcomes: ${run.counts.passed} passed, ${run.counts.failed} failed (${run.counts.suspectedInfraErrors} suspected infra) · harness ${run.harnessCommits.join(', ') || '–'}`);
}

function casesDetail(o: RunOutcome): Node | string {
  if (!o.cases || o.cases.length === 0) return '–';
  return h('details', {}, h('summary', {}, `${o.cases.filter((c) => c.passed).length}/${o.cases.length}`),
    h('ul', {}, ...o.cases.map((c) => h('li', { class: c.passed ? 'pass' : 'fail' }, `${c.name}: ${c.passed ? 'pass' : 'fail'} (${c.durationS} s)`))));
}

export const runView: View = async (path, query, root) => {
  if (path[1] === 'diff') return diffView([path[0]!, path[2]!], query, root);
  const runId = decodeURIComponent(path[0] ?? '');
  const f = { model: query.get('model') ?? '', format: query.get('format') ?? '', test: query.get('test') ?? '', result: query.get('result') ?? '' };
  const state = listState(query);
  const here = hrefFor(`/runs/${seg(runId)}`, { ...f, limit: state.limit === 50 ? null : state.limit, offset: state.offset || null });
  const answer = await get<RunOutcomes>(`/eval-runs/${seg(runId)}/outcomes`, { ...f, limit: state.limit, offset: state.offset });
  const previous = await get<{ items: RunSummary[] }>('/eval-runs', { to: answer.run.startedAt, limit: 1 });
  const prev = previous.items[0];
  const form = filterForm('run-filters', [
    textField('model', 'Model', f.model, 14), textField('format', 'Format', f.format, 8), textField('test', 'Test', f.test, 12),
    h('label', {}, 'Result ', h('select', { name: 'result' }, ...RESULTS.map((r) => h('option', { value: r, selected: r === f.result }, r || 'any')))),
  ], (data) => { location.hash = hrefFor(`/runs/${seg(runId)}`, {})({ model: formText(data, 'model'), format: formText(data, 'format'), test: formText(data, 'test'), result: formText(data, 'result') }); });
  const byModel = h('table', { class: 'cards', 'data-testid': 'run-models' },
    h('thead', {}, h('tr', {}, th('Model'), th('Format'), th('Pass', 'num'), th('Fail', 'num'), th('Infra', 'num'), th('Tokens', 'num'), th('Cost', 'num'), th('Duration', 'num'))),
    h('tbody', {}, ...answer.byModel.map((m) => h('tr', { 'data-model': m.model, 'data-format': m.format },
      td('Model', h('a', { href: hrefFor(`/runs/${seg(runId)}`, {})({ model: m.model, format: m.format }) }, m.model)), td('Format', m.format),
      td('Pass', m.pass, 'num'), td('Fail', m.fail, 'num'), td('Infra', m.infra, 'num'), td('Tokens', count(m.tokens), 'num'), td('Cost', money(m.costUsd), 'num'), td('Duration', secs(m.durationS), 'num')))));
  const outcomes = h('table', { class: 'cards', 'data-testid': 'run-outcomes' },
    h('thead', {}, h('tr', {}, th('Model'), th('Format'), th('Test'), th('Result'), th('Score', 'num lo'), th('Tokens', 'num'), th('Cost', 'num'), th('Duration', 'num'), th('Log dir', 'lo'), th('Cases'))),
    h('tbody', {}, ...answer.items.map((o) => h('tr', { 'data-event': o.eventId, id: `outcome-${o.eventId}` },
      td('Model', o.model), td('Format', o.toolFormat ?? 'default'), td('Test', h('a', { href: link(`/history/${seg(o.model)}/${seg(o.test)}`, { format: o.toolFormat ?? 'default' }) }, o.test)),
      td('Result', result(o.result)), td('Score', o.score ? `${o.score.passed}/${o.score.total}` : '–', 'num lo'), td('Tokens', count(o.tokens?.total), 'num'),
      td('Cost', money(o.costUsd), 'num'), td('Duration', secs(o.durations?.total), 'num'), td('Log dir', h('code', {}, o.logDir || '–'), 'lo'), td('Cases', casesDetail(o))))));
  root.replaceChildren(
    h('h1', {}, 'Run ', h('span', { 'data-testid': 'run-id' }, answer.run.runId)),
    runFacts(answer.run),
    prev ? h('p', {}, h('a', { href: link(`/runs/${seg(prev.runId)}/diff/${seg(runId)}`), 'data-testid': 'diff-previous' }, `What changed since the run before (${prev.runId}) →`)) : '',
    h('h2', {}, 'By model'),
    h('div', { class: 'table-wrap' }, byModel),
    h('h2', {}, 'Outcomes'),
    form,
    h('p', { class: 'hint', 'data-testid': 'outcome-counts' }, `${answer.total} outcome(s): ${answer.counts.pass} pass, ${answer.counts.fail} fail, ${answer.counts.infra} infra.`),
    h('div', { class: 'table-wrap' }, outcomes),
    pager(answer, state, here, 'run-pager'),
  );
};

function sideCells(label: string, runId: string, s: DiffSide | null, item: DiffItem): HTMLElement {
  if (!s) return td(label, '–');
  const to = link(`/runs/${seg(runId)}`, { model: item.rawModel, format: item.format, test: item.test });
  return td(label, h('a', { href: to, 'data-outcome': s.eventId, title: `${s.logDir ?? 'no log dir'} · ${count(s.tokens)} tokens · ${money(s.costUsd)} · ${secs(s.durationS)}` }, result(s.result)));
}

const moved = (a: number | null | undefined, b: number | null | undefined, show: (v: number | null | undefined) => string) => `${show(a)} → ${show(b)}`;

export const diffView: View = async (path, query, root) => {
  const [a, b] = path.map((p) => decodeURIComponent(p));
  const f = { change: query.get('change') ?? '', model: query.get('model') ?? '', format: query.get('format') ?? '', test: query.get('test') ?? '' };
  const state = listState(query);
  const route = `/runs/${seg(a!)}/diff/${seg(b!)}`;
  const here = hrefFor(route, { ...f, limit: state.limit === 50 ? null : state.limit, offset: state.offset || null });
  const answer = await get<RunDiff>(`/eval-runs/${seg(a!)}/diff/${seg(b!)}`, { ...f, limit: state.limit, offset: state.offset });
  const expander = new Expander();
  const rows = answer.items.map((i) => {
    const row = h('tr', { 'data-change': i.change, 'data-test': i.test },
      td('Change', h('span', { class: `change ${i.change}` }, i.change)), td('Model', i.model), td('Format', i.format), td('Test', i.test),
      sideCells(`In ${a}`, a!, i.a, i), sideCells(`In ${b}`, b!, i.b, i),
      td('Tokens', moved(i.a?.tokens, i.b?.tokens, count), 'num lo'), td('Cost', moved(i.a?.costUsd, i.b?.costUsd, money), 'num lo'),
      td('Duration', moved(i.a?.durationS, i.b?.durationS, secs), 'num'), td('Log dirs', ''));
    row.lastElementChild!.append(expander.toggle(row, 10, async () => ({
      el: h('dl', { class: 'facts' }, h('dt', {}, `log dir in ${a}`), h('dd', {}, h('code', {}, i.a?.logDir ?? '–')), h('dt', {}, `log dir in ${b}`), h('dd', {}, h('code', {}, i.b?.logDir ?? '–')),
        h('dt', {}, 'outcome events'), h('dd', {}, `${i.a?.eventId ?? '–'} → ${i.b?.eventId ?? '–'}`)),
    }), 'logs'));
    return row;
  });
  root.replaceChildren(
    h('h1', {}, 'Run diff', h('span', { class: 'sub' }, ' · ', h('a', { href: link(`/runs/${seg(a!)}`) }, a!), ' → ', h('a', { href: link(`/runs/${seg(b!)}`) }, b!))),
    h('p', { class: 'hint' }, `Outcomes paired by model, format, test and repeat: ${minute(answer.a.startedAt)} → ${minute(answer.b.startedAt)}.`),
    h('nav', { class: 'tabs', 'data-testid': 'diff-tabs' }, h('a', { href: here({ change: null, offset: null }), class: f.change ? '' : 'active' }, 'All'),
      ...CHANGES.map(([c, label]) => h('a', { href: here({ change: c, offset: null }), class: f.change === c ? 'active' : '', 'data-tab': c }, label, h('span', { class: 'sub' }, ` ${answer.counts[c]}`)))),
    f.model || f.test ? h('p', { class: 'hint', 'data-testid': 'diff-filter' }, `Only ${[f.model, f.format, f.test].filter(Boolean).join(' · ')}: `, h('a', { href: here({ model: null, format: null, test: null, offset: null }) }, 'every outcome')) : '',
    rows.length === 0 ? h('p', { class: 'empty', 'data-testid': 'no-diff' }, 'Nothing here.')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'cards', 'data-testid': 'diff' },
        h('thead', {}, h('tr', {}, th('Change'), th('Model'), th('Format'), th('Test'), th(`In ${a}`), th(`In ${b}`), th('Tokens', 'num lo'), th('Cost', 'num lo'), th('Duration', 'num'), th(''))),
        h('tbody', {}, ...rows))),
    pager(answer, state, here, 'diff-pager'),
  );
  return () => expander.destroy();
};
