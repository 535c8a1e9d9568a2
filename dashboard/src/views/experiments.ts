import { get } from '../api.js';
import { h, link, minute, pct, seg } from '../dom.js';
import type { CompareAnswer, Experiment, ExperimentsAnswer } from '../types.js';
import { table, type View } from './common.js';

/** The API answers every experiment of a rule set at once; the page shows this many. */
const SHOWN = 100;

const signed = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} pts`);

function ruleSetForm(fields: { name: string; label: string; value: string }[], route: string): HTMLFormElement {
  const form = h('form', { class: 'filters', 'data-testid': `${route.slice(1)}-form` },
    ...fields.map((f) => h('label', {}, `${f.label} `, h('input', { name: f.name, value: f.value, placeholder: 'default', size: 14 }))),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    location.hash = link(route, Object.fromEntries(fields.map((f) => [f.name, String(data.get(f.name) ?? '').trim()])));
  });
  return form;
}

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

/** Lesson changes as experiments under a rule set: isolated, confounded (with what) or short of data. */
export const experimentsView: View = async (_path, query, root) => {
  const ruleSet = query.get('ruleSet') ?? '';
  const answer = await get<ExperimentsAnswer>('/experiments', { ruleSet });
  const shown = answer.experiments.slice(0, SHOWN);
  const counts = answer.experiments.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }), {});
  root.replaceChildren(
    h('h1', {}, 'Experiments', h('span', { class: 'sub' }, ` · rule set ${answer.ruleSetId}`)),
    h('nav', { class: 'tabs' }, h('a', { href: link('/experiments'), class: 'active' }, 'Windows'), h('a', { href: link('/compare', { a: 'default', b: ruleSet }) }, 'Compare two rule sets')),
    ruleSetForm([{ name: 'ruleSet', label: 'Rule set', value: ruleSet }], '/experiments'),
    h('p', { class: 'hint', 'data-testid': 'experiment-counts' },
      `${answer.experiments.length} lesson change(s): ${counts.isolated ?? 0} isolated, ${counts.confounded ?? 0} confounded, ${counts['insufficient-data'] ?? 0} with too little data.`),
    shown.length === 0 ? h('p', { class: 'empty' }, 'No lesson change to analyse yet.')
      : table(['Change', 'Lesson', 'When', 'Status', 'Affected tests', 'Control', 'Effect (DiD)', 'Fisher p', 'Confounders'], shown.map((e) => {
          const [affected, control, effect, p] = effectCells(e);
          return [e.changeId, h('a', { href: link(`/lesson/${seg(e.lessonId)}`) }, e.lessonId), minute(e.at), h('span', { class: `status ${e.status}` }, e.status),
            affected!, control!, effect!, p!, confounderCell(e)];
        }), { 'data-testid': 'experiments' }),
    answer.experiments.length > SHOWN ? h('p', { class: 'hint' }, `Showing the first ${SHOWN} of ${answer.experiments.length}.`) : '',
  );
};

/** Which lesson changes switch status, effect sign or significance between rule sets a and b, and why. */
export const compareView: View = async (_path, query, root) => {
  const a = query.get('a') || 'default';
  const b = query.get('b') || 'default';
  const answer = await get<CompareAnswer>('/analyses/compare', { a, b });
  root.replaceChildren(
    h('h1', {}, 'Compare rule sets', h('span', { class: 'sub' }, ` · ${answer.a} vs ${answer.b}`)),
    h('nav', { class: 'tabs' }, h('a', { href: link('/experiments', { ruleSet: b === 'default' ? '' : b }) }, 'Windows'), h('a', { href: link('/compare', { a, b }), class: 'active' }, 'Compare two rule sets')),
    ruleSetForm([{ name: 'a', label: 'A', value: a }, { name: 'b', label: 'B', value: b }], '/compare'),
    h('p', { class: 'hint', 'data-testid': 'compare-summary' },
      `${answer.summary.experiments ?? 0} experiment(s): ${answer.summary.statusChanged ?? 0} change status, ${answer.summary.signChanged ?? 0} change the effect's sign, ${answer.summary.significanceChanged ?? 0} change significance.`),
    answer.differences.length === 0 ? h('p', { class: 'none', 'data-testid': 'no-differences' }, 'The two rule sets agree on every lesson change.')
      : table(['Change', 'Lesson', 'When', `Status ${answer.a}`, `Status ${answer.b}`, `Effect ${answer.a}`, `Effect ${answer.b}`, 'Why'], answer.differences.map((d) => [
          d.changeId, h('a', { href: link(`/lesson/${seg(d.lessonId)}`) }, d.lessonId), minute(d.at), d.statusA ?? '–', d.statusB ?? '–', signed(d.effectA), signed(d.effectB), d.reason,
        ]), { 'data-testid': 'differences' }),
  );
};
