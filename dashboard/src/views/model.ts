import { get } from '../api.js';
import { MARK_COLORS, rateChart, toSeconds, type Mark } from '../chart.js';
import { day, h, link, pct, seg } from '../dom.js';
import type { ExternalChange, PassRate } from '../types.js';
import { table, type View } from './common.js';

/** A model's pass rate per run, with lesson changes and external changes marked on the time axis. */
export const modelView: View = async (path, query, root) => {
  const model = decodeURIComponent(path[0] ?? '');
  const format = query.get('format') ?? '';
  const data = await get<PassRate>('/dashboard/api/pass-rate', { model, format });
  const title = h('h1', {}, model, format ? h('span', { class: 'sub' }, ` · ${format}`) : '');
  if (data.points.length === 0) {
    root.replaceChildren(title, h('p', { class: 'empty', 'data-testid': 'no-points' }, 'No outcome of this model is recorded.'));
    return;
  }
  const from = data.points[0]!.at;
  const external = await get<{ items: ExternalChange[] }>('/external-changes', { from, limit: 100 });
  const marks: Mark[] = [
    ...data.lessonChanges.map((c) => ({ at: toSeconds(c.at), color: MARK_COLORS.lesson, label: `${c.type} ${c.lessonId}` })),
    ...external.items.map((c) => ({ at: toSeconds(c.occurredAt), color: MARK_COLORS.external, label: `${c.kind}: ${c.description}` })),
  ];
  const chartBox = h('div', { class: 'chart', 'data-testid': 'pass-rate-chart' });
  root.replaceChildren(
    title,
    h('p', { class: 'hint' }, `Pass rate per run (${data.points.length} run${data.points.length === 1 ? '' : 's'}, infra errors left out). `,
      h('span', { class: 'key', style: `border-color:${MARK_COLORS.lesson}` }, 'lesson change'), ' ',
      h('span', { class: 'key', style: `border-color:${MARK_COLORS.external}` }, 'external change')),
    chartBox,
    h('h2', {}, 'Runs'),
    table(
      ['Run', 'Date', 'Passed', 'Pass rate', 'Infra errors'],
      [...data.points].reverse().map((p) => [p.runId, day(p.at), `${p.passes}/${p.attempts}`, pct(p.passRate), String(p.infraErrors)]),
      { 'data-testid': 'runs' },
    ),
    h('h2', {}, 'Changes on the time axis'),
    marks.length === 0
      ? h('p', {}, 'No lesson or external change since the first run.')
      : h('ul', { class: 'marks', 'data-testid': 'marks' },
          ...data.lessonChanges.map((c) => h('li', { 'data-kind': 'lesson' }, h('span', { class: 'dot', style: `background:${MARK_COLORS.lesson}` }), `${day(c.at)} lesson `, h('a', { href: link(`/lesson/${seg(c.lessonId)}`) }, c.lessonId), `: ${c.type}`)),
          ...external.items.map((c) => h('li', { 'data-kind': 'external' }, h('span', { class: 'dot', style: `background:${MARK_COLORS.external}` }), `${day(c.occurredAt)} ${c.kind} (${c.subject}): ${c.description}`)),
        ),
  );
  const chart = rateChart(chartBox, data.points.map((p) => toSeconds(p.at)), [{ label: 'pass rate', color: '#286ec8', values: data.points.map((p) => p.passRate) }], { marks });
  return () => chart.destroy();
};
