/**
 * A model's pass rate per run, one line per tool format (long pauses left open), lesson and external changes
 * marked; its per-suite breakdown; its runs a page at a time, each a link to the run page.
 */
import { get } from '../api.js';
import { MARK_COLORS, rateChart, toSeconds, type Mark } from '../chart.js';
import { day, h, link, minute, pct, seg } from '../dom.js';
import { formatLines, GAP_RUNS } from '../format-lines.js';
import { lessonName } from '../lesson-name.js';
import type { ExternalChange, LeaderboardRow, Page, PassRate } from '../types.js';
import type { RunSummary } from '../types-drilldown.js';
import { table, type View } from './common.js';
import { DEFAULT_PAGE_SIZE, pageSize, pageSizeSelect } from './paging.js';

export const FORMAT_COLORS = ['#286ec8', '#c0392b', '#1a8a4a', '#7b3fb5', '#b0892a', '#2a9bb0'];

type Point = PassRate['points'][number];

function suiteTable(rows: LeaderboardRow[]): HTMLElement {
  return table(['Suite', 'Format', 'Tests', 'Passed', 'Pass rate', '95% interval', 'Infra errors'], rows.map((r) => [
    r.suite || '–', r.format, String(r.tests), `${r.passes}/${r.attempts}`, pct(r.pass_rate), `${pct(r.wilson_lower, 0)}–${pct(r.wilson_upper, 0)}`, String(r.infra_errors),
  ]), { 'data-testid': 'suites' });
}

async function runsSection(model: string, query: URLSearchParams, formats: PassRate['formats']): Promise<HTMLElement[]> {
  const cursor = query.get('cursor') ?? '';
  const limit = query.has('limit') ? pageSize(query) : 25;
  const route = `/model/${seg(model)}`;
  const at = (changes: Record<string, string | number>) => link(route, { format: query.get('format') ?? '', limit: limit === 25 ? '' : limit, ...changes });
  const page = await get<{ items: RunSummary[]; nextCursor: string | null }>('/eval-runs', { model, limit, cursor });
  const byRun = formats.map((f) => new Map<string, Point>(f.points.map((p) => [p.runId, p])));
  const rows = page.items.map((r) => h('tr', { 'data-run': r.runId },
    h('td', { 'data-label': 'Run' }, h('a', { href: link(`/runs/${seg(r.runId)}`, { model }) }, r.runId)),
    h('td', { 'data-label': 'Started' }, minute(r.startedAt)),
    ...formats.map((f, i) => {
      const p = byRun[i]!.get(r.runId);
      return h('td', { class: 'num', 'data-label': f.format, 'data-format': f.format }, p ? `${p.passes}/${p.attempts} (${pct(p.passRate)})` : '–');
    }),
    h('td', { class: 'num lo', 'data-label': 'Infra errors' }, String(formats.reduce((n, _f, i) => n + (byRun[i]!.get(r.runId)?.infraErrors ?? 0), 0))),
    h('td', { class: 'num lo', 'data-label': 'Whole run' }, `${r.counts.passed}/${r.counts.outcomes}`)));
  const size = pageSizeSelect(limit, 'runs per page');
  size.addEventListener('change', () => { location.hash = at({ limit: Number(size.value) === DEFAULT_PAGE_SIZE ? '' : size.value }); });
  return [
    h('h2', {}, 'Runs'),
    h('p', { class: 'hint' }, 'Newest first; this model\'s passes per format (infra errors left out), and the whole run\'s. Click a run for its outcomes.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'cards', 'data-testid': 'runs' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Run'), h('th', {}, 'Started'), ...formats.map((f) => h('th', { class: 'num' }, f.format)),
        h('th', { class: 'num lo' }, 'Infra errors'), h('th', { class: 'num lo' }, 'Whole run'))),
      h('tbody', {}, ...rows))),
    h('nav', { class: 'pager', 'data-testid': 'runs-pager' },
      cursor ? h('a', { href: at({}) }, '← newest') : '',
      page.nextCursor ? h('a', { href: at({ cursor: page.nextCursor }), rel: 'next' }, 'older →') : '',
      size),
  ];
}

export const modelView: View = async (path, query, root) => {
  const model = decodeURIComponent(path[0] ?? '');
  const format = query.get('format') ?? '';
  const data = await get<PassRate>('/dashboard/api/pass-rate', { model });
  const title = h('h1', {}, model, format ? h('span', { class: 'sub' }, ` · from the ${format} row`) : '');
  const all = data.formats.flatMap((f) => f.points);
  if (all.length === 0) {
    root.replaceChildren(title, h('p', { class: 'empty', 'data-testid': 'no-points' }, 'No outcome of this model is recorded.'));
    return;
  }
  const from = all.reduce((m, p) => (p.at < m ? p.at : m), all[0]!.at);
  const [external, suites] = await Promise.all([
    get<{ items: ExternalChange[] }>('/external-changes', { from, limit: 100 }),
    get<Page<LeaderboardRow>>('/leaderboard', { model, bySuite: true, limit: 100 }),
  ]);
  const marks: Mark[] = [
    ...data.lessonChanges.map((c) => ({ at: toSeconds(c.at), color: MARK_COLORS.lesson, label: `${c.type} ${c.lessonTitle ?? c.lessonId}` })),
    ...external.items.map((c) => ({ at: toSeconds(c.occurredAt), color: MARK_COLORS.external, label: `${c.kind}: ${c.description}` })),
  ];
  const lines = formatLines(data.formats);
  const axes = { x: 'run start (UTC)', y: 'pass rate (infra errors left out)' };
  const chartBox = h('div', { class: 'chart', 'data-testid': 'pass-rate-chart', 'data-lines': data.formats.length, 'data-gaps': lines.gaps, 'data-axes': `${axes.x} | ${axes.y}` });
  root.replaceChildren(
    title,
    h('p', { class: 'hint' }, `Pass rate per run, one line per tool format (${data.formats.map((f) => `${f.format}: ${f.points.length} run${f.points.length === 1 ? '' : 's'}`).join(', ')}; infra errors left out; `,
      `a pause longer than ${GAP_RUNS} times a format's usual spacing is left open). `,
      h('span', { class: 'key', style: `border-color:${MARK_COLORS.lesson}` }, 'lesson change'), ' ',
      h('span', { class: 'key', style: `border-color:${MARK_COLORS.external}` }, 'external change')),
    chartBox,
    h('h2', {}, 'By suite'),
    suites.items.length === 0 ? h('p', { class: 'hint' }, 'No suite recorded.') : suiteTable(suites.items),
    ...(await runsSection(model, query, data.formats)),
    h('h2', {}, 'Changes on the time axis'),
    marks.length === 0
      ? h('p', {}, 'No lesson or external change since the first run.')
      : h('ul', { class: 'marks', 'data-testid': 'marks' },
          ...data.lessonChanges.map((c) => h('li', { 'data-kind': 'lesson' }, h('span', { class: 'dot', style: `background:${MARK_COLORS.lesson}` }), `${day(c.at)} lesson `, lessonName(c), `: ${c.type}`)),
          ...external.items.map((c) => h('li', { 'data-kind': 'external' }, h('span', { class: 'dot', style: `background:${MARK_COLORS.external}` }), `${day(c.occurredAt)} ${c.kind} (${c.subject}): ${c.description}`)),
        ),
  );
  const chart = rateChart(chartBox, lines.x, data.formats.map((f, i) => ({ label: f.format, color: FORMAT_COLORS[i % FORMAT_COLORS.length]!, values: lines.values[i]! })),
    { marks, spanGaps: false, axisLabels: axes });
  return () => chart.destroy();
};
