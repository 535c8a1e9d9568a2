/** The window picture of one experiment under one rule set: the summed chart, per-model small multiples, confounders. */
import { h, minute, pct } from '../dom.js';
import type { Counts, ExperimentSeries, SeriesPoint } from '../types-drilldown.js';
import { AFFECTED_COLOR, CHANGE_COLOR, CONFOUNDER_COLOR, CONTROL_COLOR, windowChart } from '../window-chart.js';

const sum = (points: SeriesPoint[], side: 'affected' | 'control', when: (offset: number) => boolean): Counts =>
  points.filter((p) => when(p.offset)).reduce((c, p) => ({ passed: c.passed + p[side].passed, failed: c.failed + p[side].failed }), { passed: 0, failed: 0 });

const share = (c: Counts) => (c.passed + c.failed === 0 ? '–' : `${c.passed}/${c.passed + c.failed} (${pct(c.passed / (c.passed + c.failed), 0)})`);

export const keyLine = () => h('p', { class: 'hint legend' },
  h('span', { class: 'swatch', style: `background:${AFFECTED_COLOR}` }), 'affected tests ',
  h('span', { class: 'swatch', style: `background:${CONTROL_COLOR}` }), 'control tests ',
  h('span', { class: 'key', style: `border-color:${CHANGE_COLOR};border-left-style:solid` }, 'the change'), ' ',
  h('span', { class: 'key', style: `border-color:${CONFOUNDER_COLOR}` }, 'a confounder (hatched: its confound window)'), ' ',
  h('span', { class: 'swatch before' }), 'before window ', h('span', { class: 'swatch after' }), 'after window');

/** Outcome counts of the two windows summed over every model with outcomes in them. */
function windowTable(s: ExperimentSeries, testid: string): HTMLElement {
  const before = (o: number) => o < 0;
  const after = (o: number) => o > 0;
  return h('table', { class: 'compact', 'data-testid': `${testid}-windows` },
    h('thead', {}, h('tr', {}, h('th', {}, 'Window'), h('th', {}, 'From'), h('th', { class: 'num' }, 'Affected passed'), h('th', { class: 'num' }, 'Control passed'))),
    h('tbody', {},
      h('tr', { 'data-window': 'before' }, h('td', {}, `before (${s.windowHours} h)`), h('td', {}, minute(s.before.from)),
        h('td', { class: 'num' }, share(sum(s.all, 'affected', before))), h('td', { class: 'num' }, share(sum(s.all, 'control', before)))),
      h('tr', { 'data-window': 'after' }, h('td', {}, `after (${s.windowHours} h)`), h('td', {}, minute(s.after.from)),
        h('td', { class: 'num' }, share(sum(s.all, 'affected', after))), h('td', { class: 'num' }, share(sum(s.all, 'control', after))))));
}

function confounderList(s: ExperimentSeries, testid: string): HTMLElement {
  if (s.confounders.length === 0) return h('p', { class: 'hint', 'data-testid': `${testid}-no-confounders` }, `No confounder within ${s.confoundWindowHours} h of the change.`);
  return h('ul', { class: 'marks', 'data-testid': `${testid}-confounders` }, ...s.confounders.map((c) =>
    h('li', { 'data-kind': c.kind, 'data-change': c.changeId },
      h('span', { class: 'dot', style: `background:${CONFOUNDER_COLOR}` }),
      h('b', {}, c.kind), ` ${c.subject} · ${minute(c.at)} (${c.hoursFromChange > 0 ? '+' : ''}${c.hoursFromChange} h)`,
      c.model ? ` · about ${c.model}` : ' · every model', h('span', { class: 'hint' }, ` ${c.description}`))));
}

/** The whole picture; `destroy` lets the charts go. */
export function experimentPicture(s: ExperimentSeries, testid: string, heading?: string): { el: HTMLElement; draw(): void; destroy(): void } {
  const main = h('div', { class: 'chart', 'data-testid': `${testid}-chart`, 'data-points': s.all.filter((p) => p.offset !== 0).length });
  const multiples = s.models.map((m) => ({
    m,
    box: h('div', { class: 'chart small', 'data-testid': `${testid}-model`, 'data-model': m.model }),
  }));
  const el = h('section', { class: 'picture', 'data-testid': testid },
    heading ? h('h3', {}, heading) : '',
    h('p', { class: 'hint' }, `Rule set ${s.ruleSetId}: windows of ${s.windowHours} h either side of ${minute(s.at)}, confound window ${s.confoundWindowHours} h; `,
      h('span', { class: `status ${s.status}` }, s.status), ` · ${s.affectedTests} affected test(s)`),
    main,
    h('div', { class: 'side-by-side' }, windowTable(s, testid), confounderList(s, testid)),
    multiples.length > 0 ? h('h4', {}, 'Per model') : '',
    h('div', { class: 'multiples' }, ...multiples.map(({ m, box }) => h('figure', {},
      h('figcaption', {}, m.model, ' ', h('span', { class: `status ${m.status ?? ''}` }, m.status ?? '–'),
        m.estimate?.effect !== null && m.estimate?.effect !== undefined ? h('span', { class: 'hint' }, ` effect ${(m.estimate.effect * 100).toFixed(1)} pts`) : ''),
      box))),
  );
  const charts: { destroy(): void }[] = [];
  const pic = (points: SeriesPoint[]) => ({ at: s.at, before: s.before, after: s.after, confounders: s.confounders, points });
  return {
    el,
    draw() {
      charts.push(windowChart(main, pic(s.all), { width: () => Math.max(300, Math.min(main.clientWidth - 16 || 600, 1200)), height: 240, full: true }));
      for (const { m, box } of multiples) {
        const own = new Set(m.confounders);
        charts.push(windowChart(box, { ...pic(m.points), confounders: s.confounders.filter((c) => own.has(c.changeId)) },
          { width: () => Math.max(220, box.clientWidth - 8 || 300), height: 140, full: false }));
      }
    },
    destroy() {
      for (const c of charts.splice(0)) c.destroy();
    },
  };
}
