import { get } from '../api.js';
import { MARK_COLORS, rateChart, toSeconds } from '../chart.js';
import { day, h, minute, seg } from '../dom.js';
import { lessonName } from '../lesson-name.js';
import type { Audit, Lesson, MutationFlag, Page, Posterior, StatusChange, TimelineEntry } from '../types.js';
import { table, type View } from './common.js';
import { apiListParams, filterForm, formText, hashListParams, hrefFor, listState, listTable, pager, textField, type Column } from './paging.js';

const LESSON_COLUMNS: Column[] = [
  { key: 'title', label: 'Lesson' }, { key: 'category', label: 'Category' },
  { key: 'status', label: 'Status' }, { key: 'revision', label: 'Revision', numeric: true }, { key: 'updatedAt', label: 'Updated', numeric: true },
];
const STATUSES = ['', 'draft', 'active', 'automated', 'deprecated', 'archived'];

/** The lesson catalogue a page at a time: filtered (status, category, text), sorted and paged by the API. */
export const lessonsView: View = async (_path, query, root) => {
  const filters = { status: query.get('status') ?? '', category: query.get('category') ?? '', q: query.get('q') ?? '' };
  const state = listState(query);
  const here = hrefFor('/lessons', { ...filters, ...hashListParams(state), offset: state.offset || null });
  const list = await get<Page<Lesson>>('/lessons', { ...filters, ...apiListParams(state) });
  const status = h('select', { name: 'status' }, ...STATUSES.map((s) => h('option', { value: s, selected: s === filters.status }, s || 'any')));
  const form = filterForm('lesson-filters', [
    h('label', {}, 'Status ', status), textField('category', 'Category', filters.category), textField('q', 'Text', filters.q, 16),
  ], (data) => {
    location.hash = hrefFor('/lessons', hashListParams(state))({ status: formText(data, 'status'), category: formText(data, 'category'), q: formText(data, 'q') });
  });
  const rows = list.items.map((l) => h('tr', { 'data-lesson': l.lessonId },
    h('td', { 'data-label': 'Lesson' }, lessonName({ lessonId: l.lessonId, lessonTitle: l.title, lessonPath: l.path ?? null })),
    h('td', { 'data-label': 'Category' }, l.category), h('td', { 'data-label': 'Status' }, h('span', { class: `status ${l.status}` }, l.status)),
    h('td', { class: 'num', 'data-label': 'Revision' }, l.revision), h('td', { class: 'num', 'data-label': 'Updated' }, day(l.updatedAt))));
  root.replaceChildren(
    h('h1', {}, 'Lessons', h('span', { class: 'sub' }, ` ${list.total}`)),
    form,
    list.total === 0 && !filters.status && !filters.category && !filters.q
      ? h('p', { class: 'empty', 'data-testid': 'no-lessons' }, 'No lesson yet: ', h('code', {}, 'lessonloop import lessons path/to/lessons'), ' or POST /lessons.')
      : rows.length === 0 ? h('p', { class: 'none', 'data-testid': 'no-rows' }, 'No lesson matches these filters.')
        : listTable('lessons', LESSON_COLUMNS, state, here, rows),
    pager(list, state, here, 'lessons-pager'),
  );
};

/** Posterior look-ups (asOf) for the chart: evenly spread from the lesson's first event to now. */
const POSTERIOR_POINTS = 24;

function sampleTimes(first: string | undefined, now: number): number[] {
  if (!first) return [now];
  const start = Date.parse(first) + 1;
  if (now <= start) return [now];
  return Array.from({ length: POSTERIOR_POINTS }, (_, i) => Math.round(start + ((now - start) * i) / (POSTERIOR_POINTS - 1)));
}

function describeChange(entry: TimelineEntry): string {
  return entry.changes.map((c) => (c.field === 'body' ? 'body' : `${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`)).join('; ');
}

function statusChangeItem(change: StatusChange): HTMLElement {
  const d = change.decision;
  const ruleText = change.rule
    ? `rule ${change.rule.name ?? '?'} of rule set ${change.rule.ruleSetId} v${change.rule.ruleSetVersion}${change.rule.definedBy ? ` (event ${change.rule.definedBy.eventId})` : ' (built-in defaults)'}`
    : null;
  const n = change.evidence?.numbers;
  return h('li', { class: 'decision' },
    h('strong', {}, `${minute(d.occurredAt)} ${d.from} → ${d.to}`), ` by ${d.decidedBy === 'human' ? `a human (${d.actor ?? 'unknown'})` : 'the policy'}: ${d.reason}`,
    h('ol', { class: 'chain' },
      h('li', {}, `decision event ${d.eventId} at position ${d.globalPosition}`),
      ruleText ? h('li', {}, ruleText) : '',
      n ? h('li', {}, `evidence: mean ${n.mean?.toFixed(3) ?? '–'}, interval [${n.lower?.toFixed(3) ?? '–'}, ${n.upper?.toFixed(3) ?? '–'}], n ${n.n ?? '–'}; ` +
        `${change.evidence!.events.length} event(s), ${change.evidence!.events.filter((e) => !e.found).length} not found`) : '',
      h('li', {}, `${change.trajectory.length} reward(s) before the decision`),
      h('li', {}, `edits before it: ${change.editsBefore.map((e) => `${e.type}@${e.globalPosition}`).join(', ') || 'none'}`)));
}

function mutationFlagItem(flag: MutationFlag): HTMLElement {
  const d = flag.decision;
  const r = flag.rule;
  return h('li', { class: 'decision' },
    h('strong', {}, `${minute(d.occurredAt)} flagged for mutation`), ` by the policy: ${d.explanation}`,
    h('ol', { class: 'chain' },
      h('li', {}, `decision event ${d.eventId} at position ${d.globalPosition}`),
      h('li', {}, `rule ${r.name ?? d.reason} of rule set ${r.ruleSetId} v${r.ruleSetVersion}${r.definedBy ? ` (event ${r.definedBy.eventId})` : ' (built-in defaults)'}`),
      h('li', {}, `evidence: ${Object.entries(flag.evidence.numbers).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(3)}`).join(', ') || 'none'}; ` +
        `${flag.evidence.events.length} event(s), ${flag.evidence.events.filter((e) => !e.found).length} not found`),
      h('li', {}, `${flag.trajectory.length} reward(s) before the flag`),
      h('li', {}, `edits before it: ${flag.editsBefore.map((e) => `${e.type}@${e.globalPosition}`).join(', ') || 'none'}`)));
}

/** One lesson: its timeline, its posterior over time with the credible band, and its status decisions with their audit chain. */
export const lessonView: View = async (path, _query, root) => {
  const id = decodeURIComponent(path[0] ?? '');
  const [lesson, timeline, audit] = await Promise.all([
    get<Lesson>(`/lessons/${seg(id)}`),
    get<{ entries: TimelineEntry[] }>(`/lessons/${seg(id)}/timeline`),
    get<Audit>(`/lessons/${seg(id)}/audit`),
  ]);
  const times = sampleTimes(timeline.entries[0]?.occurredAt, Date.now());
  // The last look-up is without asOf: the posterior now, as the API reports it.
  const posteriors = await Promise.all(times.map((t, i) =>
    get<Posterior>(`/lessons/${seg(id)}/posterior`, { asOf: i === times.length - 1 ? null : new Date(t).toISOString() })));
  const at = times.map((t) => t / 1000);
  const arm = (p: Posterior) => p.arms.find((a) => a.armKey === id) ?? p.arms[0];
  const latest = arm(posteriors[posteriors.length - 1]!);
  const chartBox = h('div', { class: 'chart', 'data-testid': 'posterior-chart' });
  root.replaceChildren(
    h('h1', {}, lesson.title, h('span', { class: 'sub' }, ` · ${lesson.lessonId}`)),
    h('p', {}, h('span', { class: `status ${lesson.status}`, 'data-testid': 'lesson-status' }, lesson.status), ` · ${lesson.category} · revision ${lesson.revision}`),
    h('h2', {}, 'Posterior over time'),
    latest
      ? h('p', { class: 'hint', 'data-testid': 'posterior-now' }, `now: mean ${latest.mean.toFixed(3)}, 90% credible interval [${latest.lower.toFixed(3)}, ${latest.upper.toFixed(3)}], ${latest.n} reward(s)`)
      : h('p', { class: 'hint' }, 'No posterior.'),
    chartBox,
    h('h2', {}, 'Status decisions'),
    audit.statusChanges.length === 0 ? h('p', { 'data-testid': 'no-decisions' }, 'No status decision recorded.')
      : h('ul', { class: 'decisions', 'data-testid': 'decisions' }, ...audit.statusChanges.map(statusChangeItem)),
    h('h2', {}, 'Flags for mutation'),
    audit.mutationFlags.length === 0 ? h('p', { 'data-testid': 'no-mutation-flags' }, 'Not flagged for mutation.')
      : h('ul', { class: 'decisions', 'data-testid': 'mutation-flags' }, ...audit.mutationFlags.map(mutationFlagItem)),
    h('h2', {}, 'Timeline'),
    table(['When', 'Event', 'Revision', 'By', 'Reason', 'Changes'], [...timeline.entries].reverse().map((e) => [
      minute(e.occurredAt), e.type, String(e.revision), e.decidedBy ?? e.actor ?? e.source ?? '–', e.reason ?? '', describeChange(e),
    ]), { 'data-testid': 'timeline' }),
  );
  if (!latest) return;
  const series = (pick: (a: NonNullable<typeof latest>) => number) => posteriors.map((p) => { const a = arm(p); return a ? pick(a) : null; });
  const chart = rateChart(chartBox, at, [
    { label: 'mean', color: '#286ec8', values: series((a) => a.mean) },
    { label: 'lower', color: '#8fb3e0', values: series((a) => a.lower) },
    { label: 'upper', color: '#8fb3e0', values: series((a) => a.upper) },
  ], { band: true, marks: timeline.entries.map((e) => ({ at: toSeconds(e.occurredAt), color: MARK_COLORS.lesson, label: e.type })) });
  return () => chart.destroy();
};
