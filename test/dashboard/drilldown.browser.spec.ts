/**
 * The drill-down views in Debian's chromium, on one app with the window world (support/window-world.ts) and one
 * browser: experiment windows (list, page, compare), effects, the injection gate, the drafts review queue (drafts
 * detected by `drafts detect` on support/drafts-world.ts's logs), run page and diff, model page. Each view is
 * compared with the API's JSON and shot at 1400x900 and 1024x768 (test-output/dashboard/); no view scrolls
 * sideways at either width, and the pages log no console error and get no failed response.
 * Run once: CI's PostgreSQL pass leaves browser specs out (scripts/store-backed-specs.mjs).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { WRITE_TOKEN } from '../ingest-http/http-test-support.js';
import { HAS_CHROMIUM, launchChromium, NO_BROWSER_NOTE, SCREENSHOTS, type OpenBrowser } from './support/browser.js';
import { startDashboardApp, type DashboardApp } from './support/dashboard-app.js';
import { armText, fixed3, sci, type DraftAnswer, type DraftsAnswer, type GatePairAnswer, type GatePairsAnswer } from './support/review-answers.js';
import { AFFECTED, BETA_CHANGE, CHANGE_AT, LESSON, NARROW } from './support/window-world.js';

const describeBrowser = HAS_CHROMIUM ? describe : describe.skip;
const suffix = HAS_CHROMIUM ? '' : ` [${NO_BROWSER_NOTE}]`;

const SIDEWAYS_OVERFLOW = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';
const pts = (v: number | null) => (v === null ? '–' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)} pts`);

interface Counts { passed: number; failed: number }
interface Series {
  changeId: string; lessonTitle: string; status: string; windowHours: number;
  confounders: { changeId: string; kind: string }[];
  overall: { effect: number | null; fisherP: number; q?: number } | null;
  all: { offset: number; affected: Counts; control: Counts }[];
  models: { model: string; status: string }[];
}

let app: DashboardApp;
let chrome: OpenBrowser;
let page: Page;
const problems: string[] = [];

async function api<T>(url: string): Promise<T> {
  const res = await fetch(`${app.url}${url}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function open(route: string): Promise<void> {
  await page.goto(`${app.url}/dashboard${route}`);
  await page.waitForSelector('#app[aria-busy="false"]');
}

/** Screenshots at both sizes; nothing scrolls sideways at either. */
async function bothSizes(name: string): Promise<void> {
  for (const [width, height] of [[1400, 900], [1024, 768]] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150);
    expect([name, width, await page.evaluate<number>(SIDEWAYS_OVERFLOW)]).toEqual([name, width, 0]);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()));

const share = (c: Counts) => (c.passed + c.failed === 0 ? '–' : `${c.passed}/${c.passed + c.failed} (${((c.passed / (c.passed + c.failed)) * 100).toFixed(0)}%)`);
function sums(s: Series, after: boolean, side: 'affected' | 'control'): Counts {
  return s.all.filter((p) => (after ? p.offset > 0 : p.offset < 0)).reduce((c, p) => ({ passed: c.passed + p[side].passed, failed: c.failed + p[side].failed }), { passed: 0, failed: 0 });
}

describeBrowser(`dashboard drill-downs on the window world (chromium)${suffix}`, () => {
  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'inherit' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startDashboardApp({ withData: 'windows' });
    chrome = await launchChromium();
    page = await chrome.newPage({ width: 1400, height: 900 });
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('401')) problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400 && r.status() !== 401) problems.push(`${r.status()} ${r.url()}`); });
  }, 240_000);
  afterAll(async () => {
    await chrome?.close();
    await app?.close();
  });
  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  it('experiments name the lesson by title; a row opens the window picture with the API\'s numbers and confounders', async () => {
    type Verdict = { fisherP: number; significant: boolean; q: number; minimumDetectableEffect: number | null };
    const list = await api<{ items: { changeId: string; lessonId: string; lessonTitle: string; lessonPath: string; status: string; overall?: Verdict }[] }>('/experiments?limit=50');
    const e = list.items.find((x) => x.lessonId === LESSON.lessonId)!;
    expect([e.lessonTitle, e.lessonPath, e.status]).toEqual([LESSON.title, LESSON.path, 'confounded']);
    const s = await api<Series>(`/experiments/${encodeURIComponent(e.changeId)}/series`);
    await open('#/experiments');
    const row = `[data-testid="experiments"] tr[data-change="${e.changeId}"]`;
    const name = await page.$eval(`${row} .lesson-name a`, (a) => [a.textContent, a.getAttribute('title'), a.getAttribute('href')]);
    expect(name).toEqual([LESSON.title, `${LESSON.path} · ${LESSON.lessonId}`, `#/lesson/${LESSON.lessonId}`]);
    expect(await page.getAttribute(`${row} .copy-id`, 'data-copy')).toBe(LESSON.lessonId);
    const o = e.overall!;
    expect(o.minimumDetectableEffect).not.toBeNull();
    const verdict = await page.$$eval(`${row} td`, (tds) => ['Fisher p', 'q (FDR)', 'Detectable'].map((l) => tds.find((td) => td.getAttribute('data-label') === l)?.textContent));
    expect(verdict).toEqual([`${o.fisherP.toFixed(3)}${o.significant ? ' *' : ''}`, o.q.toFixed(3), `±${(o.minimumDetectableEffect! * 100).toFixed(1)} pts`]);
    await page.click(`${row} [data-testid="expand"]`);
    await page.waitForSelector('tr.detail[data-loaded="true"] [data-testid="window-chart"] canvas');
    expect(Number(await page.getAttribute('[data-testid="window-chart"]', 'data-points'))).toBe(s.all.filter((p) => p.offset !== 0).length);
    const windows = await page.$$eval('[data-testid="window-windows"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(2).map((td) => td.textContent)));
    expect(windows).toEqual([[share(sums(s, false, 'affected')), share(sums(s, false, 'control'))], [share(sums(s, true, 'affected')), share(sums(s, true, 'control'))]]);
    expect(sums(s, true, 'affected').passed).toBeGreaterThan(0);
    const confounders = await page.$$eval('[data-testid="window-confounders"] li', (lis) => lis.map((li) => [li.getAttribute('data-change'), li.getAttribute('data-kind')]));
    expect(confounders).toEqual(s.confounders.map((c) => [c.changeId, c.kind]));
    expect(confounders).toContainEqual([BETA_CHANGE.changeId, 'model-api']);
    const multiples = await page.$$eval('[data-testid="window-model"]', (els) => els.map((el) => el.getAttribute('data-model')));
    expect(multiples).toEqual(s.models.map((m) => m.model));
    expect(await page.$$('[data-testid="window-model"] canvas')).toHaveLength(s.models.length);
    await bothSizes('experiments-window');
  }, 90_000);

  it('experiment page: the window estimate and, beside it, the lesson\'s effect estimates from exposure', async () => {
    const { items } = await api<{ items: { changeId: string; lessonId: string }[] }>(`/experiments?lesson=${LESSON.lessonId}`);
    const changeId = items[0]!.changeId;
    const s = await api<Series>(`/experiments/${encodeURIComponent(changeId)}/series`);
    const effect = await api<{ lessonTitle: string; estimates: Record<string, { effect: number | null; n: number }> }>(`/lessons/${LESSON.lessonId}/effect`);
    expect(effect.lessonTitle).toBe(LESSON.title);
    expect(effect.estimates['randomized-holdout']!.n).toBeGreaterThan(0);
    await open(`#/experiment/${encodeURIComponent(changeId)}`);
    await page.waitForSelector('[data-testid="window-chart"] canvas');
    expect(await page.textContent('h1 .lesson-name a')).toBe(LESSON.title);
    expect(await page.textContent('[data-testid="window-estimate"]')).toContain(pts(s.overall!.effect));
    expect(await page.textContent('[data-testid="window-estimate"]')).toContain(`q ${s.overall!.q!.toFixed(3)}`);
    const shown = await page.$$eval('[data-testid="lesson-effect"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-method'), tr.children[1]!.textContent, tr.children[2]!.textContent]));
    expect(shown).toEqual(Object.values(effect.estimates).map((r) => [expect.any(String), expect.stringContaining(pts(r.effect)), String(r.n)]));
    expect(shown.map(([m]) => m)).toEqual(Object.keys(effect.estimates));
    await bothSizes('experiment-page');
  }, 60_000);

  it('compare: titles beside ids, and a row opens a\'s and b\'s windows side by side', async () => {
    const compare = await api<{ items: { changeId: string; lessonTitle: string; statusA: string; statusB: string }[] }>(`/analyses/compare?a=default&b=${NARROW.ruleSetId}`);
    const d = compare.items.find((x) => x.lessonTitle === LESSON.title)!;
    expect([d.statusA, d.statusB]).toEqual(['confounded', 'isolated']);
    const [sa, sb] = await Promise.all([api<Series>(`/experiments/${d.changeId}/series`), api<Series>(`/experiments/${d.changeId}/series?ruleSet=${NARROW.ruleSetId}`)]);
    expect([sa.windowHours, sb.windowHours]).toEqual([72, 48]);
    await open(`#/compare?a=default&b=${NARROW.ruleSetId}`);
    const row = `[data-testid="differences"] tr[data-change="${d.changeId}"]`;
    expect(await page.textContent(`${row} .lesson-name a`)).toBe(LESSON.title);
    await page.click(`${row} [data-testid="expand"]`);
    await page.waitForSelector('tr.detail[data-loaded="true"] [data-testid="window-b-chart"] canvas');
    expect(await page.textContent('[data-testid="window-a"] .hint')).toContain('windows of 72 h');
    expect(await page.textContent('[data-testid="window-b"] .hint')).toContain('windows of 48 h');
    expect(await page.$$('[data-testid="window-a-confounders"] li')).toHaveLength(sa.confounders.length);
    expect(sb.confounders).toEqual([]);
    expect(await page.isVisible('[data-testid="window-b-no-confounders"]')).toBe(true);
    await bothSizes('compare-windows');
  }, 60_000);

  it('effects: every lesson by the randomized holdout, as GET /effects gives it', async () => {
    const effects = await api<{ total: number; items: { lessonId: string; lessonTitle: string; effect: number | null; n: number; p: number | null; q: number | null }[] }>('/effects');
    expect(effects.total).toBe(1);
    await open('#/effects');
    const rows = await page.$$eval('[data-testid="effects"] tbody tr', (trs) => trs.map((tr) =>
      [tr.querySelector('.lesson-name a')?.textContent, ...[...tr.querySelectorAll('td')].slice(1).map((td) => (td.textContent ?? '').trim())]));
    const fixed = (v: number | null) => (v === null ? '–' : v.toFixed(3));
    expect(rows.map((r) => [r[0], r[1]!.replace(' *', ''), r[3], r[6], r[7]])).toEqual(effects.items.map((e) => [e.lessonTitle, pts(e.effect), String(e.n), fixed(e.p), fixed(e.q)]));
    await bothSizes('effects');
  }, 60_000);

  it('injection gate: each pair\'s decision, both sides, delta, p and q as GET /injection-gate gives them; a row opens its lessons by title', async () => {
    const gate = await api<GatePairsAnswer>('/injection-gate?limit=50');
    expect(gate.total).toBe(4);
    expect(gate.pairs.filter((p) => p.q !== null).length).toBeGreaterThan(0);
    await open('#/gate');
    const labels = ['Model', 'Test', 'Decision', 'With lessons', 'Without', 'Delta', 'p', 'q (FDR)'];
    const shown = () => page.$$eval('[data-testid="gate"] tbody tr[data-testid="gate-pair"]', (trs, ls) => trs.map((tr) => ls.map((l) => tr.querySelector(`td[data-label="${l}"]`)?.textContent)), labels);
    const expected = (pairs: GatePairsAnswer['pairs']) => pairs.map((p) => [p.model, p.test, p.recommendation, armText(p.withLessons), armText(p.withoutLessons), pts(p.delta), fixed3(p.p), fixed3(p.q)]);
    expect(await shown()).toEqual(expected(gate.pairs));
    const { counts } = gate;
    expect(await texts('[data-testid="gate-tabs"] a')).toEqual([`All ${counts.inject + counts.suppress + counts.default}`, `inject ${counts.inject}`, `suppress ${counts.suppress}`, `default ${counts.default}`]);
    const tested = gate.pairs.find((p) => p.q !== null)!;
    const one = await api<GatePairAnswer>(`/injection-gate?model=${encodeURIComponent(tested.model)}&test=${encodeURIComponent(tested.test)}`);
    expect(one.lessons.map((l) => [l.lessonRef, l.lessonId, l.lessonTitle, l.lessonPath])).toEqual([[`id:${LESSON.lessonId}`, LESSON.lessonId, LESSON.title, LESSON.path]]);
    await page.click(`[data-testid="gate-pair"][data-model="${tested.model}"][data-test="${tested.test}"] [data-testid="expand"]`);
    await page.waitForSelector('tr.detail[data-loaded="true"] [data-testid="gate-lessons"]');
    const lessons = await page.$$eval('[data-testid="gate-lesson"]', (trs) => trs.map((tr) => [
      tr.querySelector('.lesson-name a')?.textContent, tr.querySelector('.lesson-name a')?.getAttribute('title'), tr.querySelector('.copy-id')?.getAttribute('data-copy'),
      ...[...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)]));
    expect(lessons).toEqual(one.lessons.map((l) => [l.lessonTitle, `${l.lessonPath} · ${l.lessonId}`, l.lessonId, l.recommendation, armText(l.withLessons), armText(l.withoutLessons), pts(l.delta), fixed3(l.p), fixed3(l.q)]));
    expect(await page.textContent('[data-testid="gate-evidence"]')).toContain(`${one.pair.evidence.withLessons.length} outcome(s) with lessons, ${one.pair.evidence.withoutLessons.length} without`);
    await bothSizes('gate');
    // A tab is the API's page of that recommendation.
    const defaults = await api<GatePairsAnswer>('/injection-gate?recommendation=default&limit=50');
    await open('#/gate?show=default');
    expect(await shown()).toEqual(expected(defaults.pairs));
  }, 60_000);

  it('drafts queue: pattern, statistics and status as GET /drafts gives them; a row opens its evidence; a draft is rejected from the page', async () => {
    const list = await api<DraftsAnswer>('/drafts?evidence=false');
    expect([list.total, list.drafts.map((d) => d.status)]).toEqual([2, ['proposed', 'proposed']]);
    await open('#/drafts');
    const shown = () => page.$$eval('[data-testid="drafts"] tbody tr[data-testid="draft"]', (trs) => trs.map((tr) =>
      [tr.getAttribute('data-draft'), ...['Draft', 'Status', 'Failures', 'p', 'q (FDR)'].map((l) => tr.querySelector(`td[data-label="${l}"]`)?.textContent),
        tr.querySelector('td[data-label="Draft"] span')?.getAttribute('title'), tr.querySelector('td[data-label="Pattern"] b')?.textContent]));
    const row = (d: DraftAnswer) => [d.draftId, d.title, d.status, String(d.statistics.failures), sci(d.statistics.pValue), sci(d.statistics.qValue), d.path, `${d.pattern.kind} · ${d.pattern.testFamily}`];
    expect(await shown()).toEqual(list.drafts.map(row));
    const [first] = list.drafts;
    const full = await api<DraftAnswer>(`/drafts/${first!.draftId}`);
    await page.click(`[data-testid="draft"][data-draft="${first!.draftId}"] [data-testid="expand"]`);
    await page.waitForSelector('tr.detail[data-loaded="true"] [data-testid="draft-evidence"]');
    expect(await page.$$eval('[data-testid="draft-evidence"] a[data-outcome]', (as) => as.map((a) => a.getAttribute('data-outcome')))).toEqual(full.evidence!.map((e) => e.outcomeEventId));
    expect(await page.textContent('[data-testid="draft-file"]')).toBe(full.file);
    await bothSizes('drafts');
    // Rejected from the page with a write token and a reason: the API records it, the list shows it.
    await page.fill('[data-testid="draft-review"] input[name="token"]', WRITE_TOKEN);
    await page.fill('[data-testid="draft-review"] input[name="reason"]', 'seen in the browser spec');
    await page.click('[data-testid="draft-reject"]');
    await page.waitForSelector(`[data-testid="draft"][data-draft="${first!.draftId}"][data-status="rejected"]`);
    expect(await api<DraftAnswer>(`/drafts/${first!.draftId}`)).toMatchObject({ status: 'rejected', review: { actor: 'token:writer', reason: 'seen in the browser spec' } });
    // A page of one: the next link is the API's next page.
    const [one, two] = [await api<DraftsAnswer>('/drafts?limit=1&evidence=false'), list.drafts[1]!];
    await open('#/drafts?limit=1');
    expect(await shown()).toEqual(one.drafts.map(row));
    await page.click('[data-testid="drafts-pager"] a[rel="next"]');
    await page.waitForFunction(`location.hash.includes('after=${one.next}')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    expect((await shown()).map(([id]) => id)).toEqual([two.draftId]);
  }, 60_000);

  it('run page: per-model totals and a page of outcomes as the API gives them; the next page is the API\'s next page', async () => {
    const list = await api<{ items: { runId: string }[] }>('/eval-runs?limit=1');
    const runId = list.items[0]!.runId;
    const first = await api<RunOutcomesAnswer>(`/eval-runs/${runId}/outcomes?limit=5`);
    const second = await api<RunOutcomesAnswer>(`/eval-runs/${runId}/outcomes?limit=5&offset=5`);
    await open(`#/runs/${runId}?limit=5`);
    expect(await page.textContent('[data-testid="run-id"]')).toBe(runId);
    const totals = await page.$$eval('[data-testid="run-models"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent)));
    expect(totals).toEqual(first.byModel.map((m) => [m.model, m.format, String(m.pass), String(m.fail), String(m.infra)]));
    const ids = () => page.$$eval('[data-testid="run-outcomes"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-event')));
    expect(await ids()).toEqual(first.items.map((o) => o.eventId));
    expect(await texts('[data-testid="run-outcomes"] tbody tr td:nth-child(9) code')).toEqual(first.items.map((o) => o.logDir));
    expect(await page.$$('[data-testid="run-outcomes"] tbody details')).toHaveLength(first.items.filter((o) => (o.cases ?? []).length > 0).length);
    expect(await page.textContent('[data-testid="outcome-counts"]')).toBe(`${first.total} outcome(s): ${first.counts.pass} pass, ${first.counts.fail} fail, ${first.counts.infra} infra.`);
    await bothSizes('run');
    await page.click('[data-testid="run-pager"] a[rel="next"]');
    await page.waitForFunction(`location.hash.includes('offset=5')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    expect(await ids()).toEqual(second.items.map((o) => o.eventId));
  }, 60_000);

  it('a regression links to its two outcomes: the run diff, new failures first, each side a link to its run', async () => {
    const trends = await api<{ regressions: { model: string; test: string; previous_run: string; latest_run: string }[] }>('/trends?rules=gptme');
    const regression = trends.regressions.find((r) => r.model === 'acme/beta@tool' && r.test === 'ctrl-sort')!;
    expect(regression).toBeDefined();
    await open('#/trends?rules=gptme&model=acme%2Fbeta&test=ctrl-sort');
    await page.click(`[data-testid="trends"] tr:has(a.history-link:text-is("ctrl-sort")) a.diff-link`);
    await page.waitForSelector('[data-testid="diff"] tbody tr');
    await page.waitForSelector('#app[aria-busy="false"]');
    const { previous_run: a, latest_run: b } = regression;
    expect(decodeURIComponent(page.url())).toContain(`#/runs/${a}/diff/${b}?model=acme/beta&format=tool&test=ctrl-sort`);
    const one = await api<RunDiffAnswer>(`/eval-runs/${a}/diff/${b}?model=acme%2Fbeta&format=tool&test=ctrl-sort`);
    expect(one.items.map((i) => i.change)).toEqual(['new-failure']);
    const sides = await page.$$eval('[data-testid="diff"] tbody tr a[data-outcome]', (links) => links.map((l) => [l.getAttribute('data-outcome'), l.getAttribute('href')]));
    expect(sides).toEqual([
      [one.items[0]!.a!.eventId, `#/runs/${a}?model=acme%2Fbeta&format=tool&test=ctrl-sort`],
      [one.items[0]!.b!.eventId, `#/runs/${b}?model=acme%2Fbeta&format=tool&test=ctrl-sort`],
    ]);
    await bothSizes('run-diff-regression');
    // The whole diff: the API's order (new failures, then new passes, ...), its counts on the tabs.
    const all = await api<RunDiffAnswer>(`/eval-runs/${a}/diff/${b}`);
    await open(`#/runs/${a}/diff/${b}`);
    const changes = await page.$$eval('[data-testid="diff"] tbody tr:not(.detail)', (trs) => trs.map((tr) => [tr.getAttribute('data-change'), tr.getAttribute('data-test')]));
    expect(changes).toEqual(all.items.map((i) => [i.change, i.test]));
    expect(changes[0]![0]).toBe('new-failure');
    expect(await page.textContent('[data-testid="diff-tabs"] [data-tab="new-pass"]')).toBe(`New passes ${all.counts['new-pass']}`);
    await bothSizes('run-diff');
    // A run page links to the diff with the run before it.
    await open(`#/runs/${b}`);
    expect(await page.getAttribute('[data-testid="diff-previous"]', 'href')).toBe(`#/runs/${a}/diff/${b}`);
  }, 60_000);

  it('model page: one line per tool format, the long pause left open, axis titles, per-suite rows and linked runs', async () => {
    const rate = await api<{ formats: { format: string; points: { runId: string; passes: number; attempts: number }[] }[] }>('/dashboard/api/pass-rate?model=acme%2Falpha');
    expect(rate.formats.map((f) => f.format)).toEqual(['markdown', 'xml']);
    await open('#/model/acme%2Falpha');
    await page.waitForSelector('[data-testid="pass-rate-chart"] canvas');
    expect(await page.getAttribute('[data-testid="pass-rate-chart"]', 'data-lines')).toBe('2');
    expect(await page.getAttribute('[data-testid="pass-rate-chart"]', 'data-gaps')).toBe('1');
    // uPlot draws the axis titles on the canvas: the chart says which it was given; the legend names the lines.
    expect(await page.getAttribute('[data-testid="pass-rate-chart"]', 'data-axes')).toBe('run start (UTC) | pass rate (infra errors left out)');
    expect(await texts('[data-testid="pass-rate-chart"] .u-legend .u-label')).toEqual(['Time', 'markdown', 'xml']);
    const suites = await api<{ items: { suite: string; format: string; passes: number; attempts: number }[] }>('/leaderboard?model=acme%2Falpha&bySuite=true&limit=100');
    const suiteRows = await page.$$eval('[data-testid="suites"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(suiteRows.map((r) => [r[0], r[1], r[3]])).toEqual(suites.items.map((s) => [s.suite, s.format, `${s.passes}/${s.attempts}`]));
    const runs = await api<{ items: { runId: string }[]; nextCursor: string | null }>('/eval-runs?model=acme%2Falpha&limit=25');
    const shown = await page.$$eval('[data-testid="runs"] tbody tr', (trs) => trs.map((tr) => [tr.querySelector('a')?.getAttribute('href'), tr.querySelector('td[data-format="markdown"]')?.textContent]));
    const markdown = new Map(rate.formats[0]!.points.map((p) => [p.runId, `${p.passes}/${p.attempts}`]));
    expect(shown.map(([href]) => href)).toEqual(runs.items.map((r) => `#/runs/${r.runId}?model=acme%2Falpha`));
    expect(shown.map(([, cell]) => cell!.split(' ')[0])).toEqual(runs.items.map((r) => markdown.get(r.runId) ?? '–'));
    expect(runs.nextCursor).not.toBeNull();
    await bothSizes('model');
    await page.click('[data-testid="runs-pager"] a[rel="next"]');
    await page.waitForFunction(`location.hash.includes('cursor=')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    const older = await api<{ items: { runId: string }[] }>(`/eval-runs?model=acme%2Falpha&limit=25&cursor=${encodeURIComponent(runs.nextCursor!)}`);
    expect(await page.$$eval('[data-testid="runs"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-run')))).toEqual(older.items.map((r) => r.runId));
  }, 60_000);

  it('trends: p of drop beside its false-discovery q-value and the detectable drop, as the API gives them', async () => {
    type Trend = { test: string; p_regression: number | null; q_regression: number | null; mde_regression: number | null };
    const { counts } = await api<{ counts: Record<string, number> }>('/trends?limit=1');
    let label = '';
    let trends: { items: Trend[] } = { items: [] };
    for (const [name] of Object.entries(counts).filter(([, n]) => n > 0)) {
      trends = await api<{ items: Trend[] }>(`/trends?label=${name}&limit=50`);
      label = name;
      if (trends.items.some((t) => t.mde_regression !== null)) break;
    }
    expect([label, trends.items.some((t) => t.mde_regression !== null)]).toEqual([label, true]);
    await open(`#/trends?show=${label}`);
    const rows = await page.$$eval('[data-testid="trends"] tbody tr', (trs) => trs.map((tr) =>
      ['Test', 'p of drop', 'q of drop', 'Detectable drop'].map((l) => tr.querySelector(`td[data-label="${l}"]`)?.textContent)));
    const fixed = (v: number | null) => (v === null ? '–' : v.toFixed(3));
    expect(rows).toEqual(trends.items.map((t) => [t.test, fixed(t.p_regression), fixed(t.q_regression), t.mde_regression === null ? '–' : `${(t.mde_regression * 100).toFixed(0)}%`]));
    await bothSizes('trends-q-mde');
  }, 60_000);

  it('every other view fits 1400 px and 1024 px without sideways scrolling; /favicon.ico is served', async () => {
    const icon = await fetch(`${app.url}/favicon.ico`);
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    for (const [route, name] of [
      ['#/', 'leaderboard'], ['#/trends', 'trends'], ['#/trends?rules=gptme', 'trends-gptme'], ['#/lessons', 'lessons'],
      [`#/lesson/${LESSON.lessonId}`, 'lesson'], ['#/history/acme%2Fbeta/ctrl-sort?format=tool', 'history'], ['#/experiments', 'experiments'],
    ] as const) {
      await open(route);
      await bothSizes(`view-${name}`);
    }
    // The leaderboard draws each row's pass rate and interval as a bar; its label says the API's numbers.
    const board = await api<{ items: { pass_rate: number | null; wilson_lower: number | null; wilson_upper: number | null }[] }>('/leaderboard?limit=50');
    await open('#/');
    const pc = (v: number | null, d: number) => (v === null ? '–' : `${(v * 100).toFixed(d)}%`);
    expect(await page.$$eval('[data-testid="leaderboard"] .rate-bar', (bars) => bars.map((b) => b.getAttribute('aria-label'))))
      .toEqual(board.items.map((r) => `${pc(r.pass_rate, 1)}, 95% interval ${pc(r.wilson_lower, 0)} to ${pc(r.wilson_upper, 0)}`));
  }, 90_000);
});

interface RunOutcomesAnswer {
  total: number;
  counts: { pass: number; fail: number; infra: number };
  byModel: { model: string; format: string; pass: number; fail: number; infra: number }[];
  items: { eventId: string; logDir?: string; cases?: unknown[] }[];
}
interface RunDiffAnswer {
  counts: Record<string, number>;
  items: { change: string; test: string; a: { eventId: string } | null; b: { eventId: string } | null }[];
}
