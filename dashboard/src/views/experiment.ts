/** One lesson change: its window picture under a rule set, with the lesson's effect estimates (exposure-based) beside it. */
import { ApiError, get } from '../api.js';
import { h, link, pct, seg } from '../dom.js';
import { lessonName } from '../lesson-name.js';
import type { EffectRow, ExperimentSeries, LessonEffect } from '../types-drilldown.js';
import type { View } from './common.js';
import { experimentPicture, keyLine } from './experiment-picture.js';
import { detectable, pValue, seriesOf, signed } from './experiments.js';

const interval = (r: EffectRow) => (r.lower === null || r.upper === null ? '–' : `${signed(r.lower)} … ${signed(r.upper)}`);

/** Every estimator's answer for the lesson, as GET /lessons/:id/effect gives it (narrow: it sits beside the picture). */
export function effectTable(effect: LessonEffect, testid: string): HTMLElement {
  const rows = Object.values(effect.estimates);
  const extra = (r: EffectRow) => [r.q === undefined || r.q === null ? '' : `q ${r.q.toFixed(3)}`, r.mde === undefined || r.mde === null ? '' : `detectable ${signed(r.mde)}`]
    .filter(Boolean).join(' · ');
  return h('table', { class: 'compact', 'data-testid': testid },
    h('thead', {}, h('tr', {}, h('th', {}, 'Method'), h('th', { class: 'num' }, 'Effect'), h('th', { class: 'num' }, 'n'), h('th', { class: 'num' }, 'p'))),
    h('tbody', {}, ...rows.map((r) => h('tr', { 'data-method': r.method },
      h('td', {}, r.method, h('br'), h('span', { class: 'hint' }, r.observational ? 'observational' : 'randomized')),
      h('td', { class: 'num' }, `${signed(r.effect)}${r.significant ? ' *' : ''}`, h('br'), h('span', { class: 'hint' }, interval(r))),
      h('td', { class: 'num', title: `injected passed ${r.treated.passes}/${r.treated.n}, control passed ${r.control.passes}/${r.control.n}` }, r.n),
      h('td', { class: 'num' }, pValue(r), extra(r) ? h('br') : '', extra(r) ? h('span', { class: 'hint' }, extra(r)) : '')))));
}

async function lessonEffect(lessonId: string): Promise<LessonEffect | string> {
  try {
    return await get<LessonEffect>(`/lessons/${seg(lessonId)}/effect`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}

function windowEstimate(s: ExperimentSeries): HTMLElement {
  const o = s.overall;
  if (!o) return h('p', { class: 'hint', 'data-testid': 'window-estimate' }, 'No window estimate: no clean model with enough outcomes.');
  return h('p', { 'data-testid': 'window-estimate' }, `Affected ${pct(o.affectedRateBefore)} → ${pct(o.affectedRateAfter)}, control ${pct(o.controlRateBefore)} → ${pct(o.controlRateAfter)}: `,
    h('b', {}, signed(o.effect)), ` (difference in differences over the clean models), Fisher p ${o.fisherP.toFixed(3)}`,
    o.q === undefined ? '' : `, q ${o.q.toFixed(3)}`, `${o.significant ? ', significant' : ''}; smallest detectable change ${detectable(o.minimumDetectableEffect)}.`);
}

export const experimentView: View = async (path, query, root) => {
  const changeId = decodeURIComponent(path[0] ?? '');
  const ruleSet = query.get('ruleSet') || 'default';
  const series = await seriesOf(changeId, ruleSet);
  const effect = await lessonEffect(series.lessonId);
  const picture = experimentPicture(series, 'window');
  root.replaceChildren(
    h('h1', {}, lessonName(series), h('span', { class: 'sub' }, ` · ${series.kind}`)),
    h('nav', { class: 'tabs' }, h('a', { href: link('/experiments', { ruleSet: ruleSet === 'default' ? '' : ruleSet, lesson: series.lessonId }) }, '← this lesson\'s experiments'),
      h('a', { href: link('/compare', { a: 'default', b: ruleSet, lesson: series.lessonId }) }, 'compare with the default rules')),
    keyLine(),
    h('div', { class: 'with-aside' },
      h('div', {}, windowEstimate(series), picture.el),
      h('aside', { 'data-testid': 'effect-aside' }, h('h2', {}, 'Effect from exposure'),
        h('p', { class: 'hint' }, 'Outcomes that received the lesson against those that did not (randomized holdout first), unlike the before/after windows.'),
        typeof effect === 'string' ? h('p', { class: 'hint', 'data-testid': 'no-effect' }, effect) : effectTable(effect, 'lesson-effect'),
        h('p', {}, h('a', { href: link('/effects') }, 'every lesson\'s effect →')))),
  );
  picture.draw();
  return () => picture.destroy();
};
