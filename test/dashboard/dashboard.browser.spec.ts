/**
 * The dashboard in a real browser (Debian's chromium through playwright-core): the app serves the bundle
 * at /dashboard on its own origin; each view is opened on the gptme-mini fixture and what it shows is
 * compared with the API's JSON. Screenshots go to test-output/dashboard/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, launchChromium, NO_BROWSER_NOTE, SCREENSHOTS, type OpenBrowser } from './support/browser.js';
import { READ_AUTH, READ_TOKEN } from '../ingest-http/http-test-support.js';
import { startDashboardApp, type DashboardApp } from './support/dashboard-app.js';

const describeBrowser = HAS_CHROMIUM ? describe : describe.skip;
const suffix = HAS_CHROMIUM ? '' : ` [${NO_BROWSER_NOTE}]`;

/** Evaluated in the page (the specs' TypeScript has no DOM types). */
const SIDEWAYS_OVERFLOW = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';

const pct = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);

async function apiJson<T>(app: DashboardApp, url: string): Promise<T> {
  const res = await fetch(`${app.url}${url}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** Opens a hash route and waits for the view to finish loading. */
async function open(page: Page, app: DashboardApp, route: string): Promise<void> {
  await page.goto(`${app.url}/dashboard${route}`);
  await page.waitForSelector('#app[aria-busy="false"]');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every request the page made, so specs can check nothing left the app's origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

interface Row {
  model: string;
  format: string;
  suite: string | null;
  passes: number;
  attempts: number;
  pass_rate: number | null;
}

beforeAll(() => {
  if (!HAS_CHROMIUM) return;
  execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'inherit' });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

describeBrowser(`dashboard on an empty store (chromium)${suffix}`, () => {
  let app: DashboardApp;
  let chrome: OpenBrowser;
  beforeAll(async () => {
    app = await startDashboardApp({ withData: false });
    chrome = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await chrome?.close();
    await app?.close();
  });

  it('the leaderboard and the trends views tell how to import data', async () => {
    const page = await chrome.newPage();
    await open(page, app, '#/');
    const message = await page.textContent('[data-testid="empty-store"]');
    expect(message).toContain('lessonloop import results');
    expect(message).toContain('POST /eval-runs');
    await shot(page, 'empty-store');
    await open(page, app, '#/trends');
    expect(await page.isVisible('[data-testid="empty-store"]')).toBe(true);
    await page.close();
  }, 60_000);
});

describeBrowser(`dashboard on the gptme-mini fixture (chromium)${suffix}`, () => {
  let app: DashboardApp;
  let chrome: OpenBrowser;
  beforeAll(async () => {
    app = await startDashboardApp({ withData: true });
    chrome = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await app?.close();
  });

  it('serves the bundle on the app origin; the page fetches nothing from elsewhere', async () => {
    const page = await chrome.newPage();
    const urls = recordRequests(page);
    await open(page, app, '#/');
    await open(page, app, '#/trends?rules=gptme');
    expect(urls.some((u) => u.endsWith('/dashboard/assets/main.js'))).toBe(true);
    expect(urls.filter((u) => !u.startsWith(`${app.url}/`))).toEqual([]);
    await page.close();
  }, 60_000);

  it('leaderboard: the rows and numbers are the API\'s; a header click sorts the whole list in the API', async () => {
    const api = await apiJson<{ items: Row[]; total: number }>(app, '/leaderboard?limit=50');
    expect(api.total).toBeGreaterThan(3);
    const page = await chrome.newPage({ width: 1200, height: 900 });
    const urls = recordRequests(page);
    await open(page, app, '#/');
    const shown = await page.$$eval('[data-testid="leaderboard"] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(shown.map((r) => [r[0], r[1], r[4], r[5]])).toEqual(
      api.items.map((r) => [r.model, r.format, `${r.passes}/${r.attempts}`, pct(r.pass_rate)]));
    expect(await page.textContent('[data-testid="leaderboard-pager"] .count')).toBe(`rows 1–${api.total} of ${api.total}`);
    await shot(page, 'leaderboard');

    const shownModels = () => page.$$eval('[data-testid="leaderboard"] tbody tr', (trs) => trs.map((tr) => `${tr.getAttribute('data-model')}|${tr.getAttribute('data-format')}`));
    await page.click('[data-sort="pass_rate"]');
    await page.waitForSelector('th[aria-sort="descending"] [data-sort="pass_rate"]');
    const desc = await apiJson<{ items: Row[] }>(app, '/leaderboard?limit=50&sort=pass_rate&order=desc');
    expect(await shownModels()).toEqual(desc.items.map((r) => `${r.model}|${r.format}`));
    const rates = desc.items.map((r) => r.pass_rate ?? -1);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    // The sort was asked of the API, not done on the page.
    expect(urls.some((u) => u.includes('/leaderboard?') && u.includes('sort=pass_rate') && u.includes('order=desc'))).toBe(true);
    await page.click('[data-sort="pass_rate"]');
    await page.waitForSelector('th[aria-sort="ascending"] [data-sort="pass_rate"]');
    const asc = await apiJson<{ items: Row[] }>(app, '/leaderboard?limit=50&sort=pass_rate&order=asc');
    expect(await shownModels()).toEqual(asc.items.map((r) => `${r.model}|${r.format}`));
    await page.close();
  }, 60_000);

  it('leaderboard paging: page 2 is the API\'s offset page of the sorted list; nothing loads more than it shows', async () => {
    const total = (await apiJson<{ total: number }>(app, '/leaderboard?limit=1')).total;
    const page = await chrome.newPage({ width: 1200, height: 900 });
    const urls = recordRequests(page);
    await open(page, app, '#/?limit=2&sort=model&order=asc');
    expect(await page.$$('[data-testid="leaderboard"] tbody tr')).toHaveLength(2);
    await page.click('[data-testid="leaderboard-pager"] a[rel="next"]');
    await page.waitForFunction(`location.hash.includes('offset=2')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    const second = await apiJson<{ items: Row[]; total: number }>(app, '/leaderboard?limit=2&offset=2&sort=model&order=asc');
    expect(second.total).toBe(total);
    const shown = await page.$$eval('[data-testid="leaderboard"] tbody tr', (trs) => trs.map((tr) => `${tr.getAttribute('data-model')}|${tr.getAttribute('data-format')}`));
    expect(shown).toEqual(second.items.map((r) => `${r.model}|${r.format}`));
    expect(await page.textContent('[data-testid="leaderboard-pager"] .count')).toBe(`rows 3–${2 + second.items.length} of ${total}`);
    await shot(page, 'leaderboard-page-2');
    await page.click('[data-testid="leaderboard-pager"] a[rel="prev"]');
    await page.waitForFunction(`!location.hash.includes('offset=')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    // Every leaderboard request asked for one page of the size shown.
    const asked = urls.filter((u) => u.includes('/leaderboard?')).map((u) => new URL(u).searchParams.get('limit'));
    expect(asked.length).toBeGreaterThanOrEqual(3);
    expect(new Set(asked)).toEqual(new Set(['2']));
    // The page size choice re-queries with the new size, back on the first page.
    expect(await page.isVisible('[data-testid="sort-choice"] select')).toBe(false); // wide: the headers sort
    await page.selectOption('[data-testid="leaderboard-pager"] select[name="limit"]', '25');
    await page.waitForFunction(`location.hash.includes('limit=25')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    expect(await page.$$('[data-testid="leaderboard"] tbody tr')).toHaveLength(Math.min(25, total));
    await page.close();
  }, 60_000);

  it('leaderboard as of a date and per format match the API with the same parameters', async () => {
    const page = await chrome.newPage();
    await open(page, app, '#/');
    await page.fill('input[name="asOf"]', '2026-07-01');
    await page.fill('input[name="format"]', 'markdown');
    await page.click('form[data-testid="leaderboard-filters"] button[type="submit"]');
    await page.waitForFunction(`location.hash.includes('asOf=2026-07-01')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    const api = await apiJson<{ items: Row[] }>(app, '/leaderboard?limit=50&format=markdown&asOf=2026-07-01T00:00:00.000Z');
    const all = await apiJson<{ items: Row[] }>(app, '/leaderboard?limit=50&format=markdown');
    expect(api.items.length).toBeGreaterThan(0);
    expect(api.items).not.toEqual(all.items); // the date matters on this fixture
    const shown = await page.$$eval('[data-testid="leaderboard"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-model')));
    expect(shown).toEqual(api.items.map((r) => r.model));
    expect(await page.textContent('h1')).toBe('Leaderboard as of 2026-07-01');
    await shot(page, 'leaderboard-as-of');
    await page.close();
  }, 60_000);

  it("a model's pass rate per run (worked from the runs' outcomes), with lesson and external changes marked", async () => {
    const model = 'openai/gpt-4o';
    const format = 'markdown';
    const api = await apiJson<{ points: { runId: string; passes: number; attempts: number; passRate: number }[]; lessonChanges: unknown[] }>(
      app, `/dashboard/api/pass-rate?model=${encodeURIComponent(model)}&format=${format}`);
    // The same numbers from the runs themselves.
    const runs = await apiJson<{ items: { runId: string }[] }>(app, `/eval-runs?model=${encodeURIComponent(model)}&limit=100`);
    const expected: [string, string][] = [];
    for (const { runId } of runs.items) {
      const run = await apiJson<{ outcomes: { model: string; toolFormat: string | null; passed: boolean; suspectedInfraError: boolean }[] }>(app, `/eval-runs/${runId}`);
      const mine = run.outcomes.filter((o) => o.model === model && (o.toolFormat ?? 'default') === format);
      if (mine.length === 0) continue;
      const counted = mine.filter((o) => o.passed || !o.suspectedInfraError);
      expected.push([runId, `${counted.filter((o) => o.passed).length}/${counted.length}`]);
    }
    expect(api.points.map((p) => [p.runId, `${p.passes}/${p.attempts}`]).reverse()).toEqual(expected);
    let lessonEvents = 0;
    for (const id of ['quote-paths', 'small-commits']) lessonEvents += (await apiJson<{ entries: unknown[] }>(app, `/lessons/${id}/timeline`)).entries.length;
    expect(lessonEvents).toBeGreaterThanOrEqual(3);
    expect(api.lessonChanges).toHaveLength(lessonEvents);

    const page = await chrome.newPage({ width: 1100, height: 900 });
    await open(page, app, '#/');
    await page.click(`[data-testid="leaderboard"] tr[data-model="${model}"][data-format="${format}"] a`);
    await page.waitForSelector('[data-testid="pass-rate-chart"] canvas');
    await page.waitForSelector('#app[aria-busy="false"]');
    // One column per format; the runs of the model without a markdown outcome show '–' there.
    const rows = await page.$$eval('[data-testid="runs"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-run'), tr.querySelector('td[data-format="markdown"]')?.textContent ?? '']));
    const markdown = rows.filter(([, cell]) => cell !== '–');
    expect(markdown.map(([run, cell]) => [run, cell!.split(' ')[0]])).toEqual(expected);
    expect(markdown.map(([, cell]) => cell!.split(' ')[1])).toEqual([...api.points].reverse().map((p) => `(${pct(p.passRate)})`));
    const marks = await page.$$eval('[data-testid="marks"] li', (lis) => lis.map((li) => [li.getAttribute('data-kind'), li.textContent]));
    expect(marks.filter(([kind]) => kind === 'lesson')).toHaveLength(lessonEvents);
    // The changes since the model's first run in any format (the page draws every format): both, as the API lists them.
    const first = (await apiJson<{ formats: { points: { at: string }[] }[] }>(app, `/dashboard/api/pass-rate?model=${encodeURIComponent(model)}`))
      .formats.flatMap((f) => f.points.map((p) => p.at)).sort()[0]!;
    expect(first < '2025-01-15').toBe(true);
    const external = await apiJson<{ items: { occurredAt: string; kind: string; subject: string; description: string }[] }>(app, `/external-changes?from=${first}&limit=100`);
    expect(marks.filter(([kind]) => kind === 'external').map(([, text]) => text)).toEqual(
      external.items.map((c) => `${c.occurredAt.slice(0, 10)} ${c.kind} (${c.subject}): ${c.description}`));
    expect(external.items).toHaveLength(2);
    await shot(page, 'model-pass-rate');
    await page.close();
  }, 90_000);

  it('regressions (gptme rules) link to the test history, whose rows are the API\'s', async () => {
    const trends = await apiJson<{ regressions: { model: string; test: string }[] }>(app, '/trends?rules=gptme');
    expect(trends.regressions).toHaveLength(1);
    const page = await chrome.newPage();
    await open(page, app, '#/trends');
    const counts = (await apiJson<{ counts: Record<string, number> }>(app, '/trends?limit=1')).counts;
    expect(await page.textContent('[data-testid="stat-tabs"] [data-tab="regression"]')).toBe(`Regressions ${counts.regression ?? 0}`);
    await page.click('[data-testid="gptme-tab"]');
    await page.waitForSelector('[data-testid="trends"] tbody tr');
    await shot(page, 'regressions');
    const { model, test } = trends.regressions[0]!;
    expect(model).toBe('anthropic/claude-haiku-4-5@tool');
    await page.click(`[data-testid="trends"] a.history-link:text-is("${test}")`);
    await page.waitForSelector('[data-testid="history"]');
    await page.waitForSelector('#app[aria-busy="false"]');
    expect(decodeURIComponent(page.url())).toContain(`#/history/anthropic/claude-haiku-4-5/${test}?format=tool`);
    const history = await apiJson<{ total: number; items: { runId: string; passed: boolean; change: string | null }[] }>(
      app, `/models/${encodeURIComponent('anthropic/claude-haiku-4-5')}/tests/${test}/history?format=tool&limit=50`);
    expect(history.total).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('[data-testid="history-total"]')).toContain(`${history.total} outcome`);
    const rows = await page.$$eval('[data-testid="history"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => [r[0], r[5] || null])).toEqual(history.items.map((i) => [i.runId, i.change]));
    await shot(page, 'test-history');

    // A page of one: "older" shows the API's next page (its cursor), and the page asks for one outcome only.
    const historyUrl = `/models/${encodeURIComponent('anthropic/claude-haiku-4-5')}/tests/${test}/history?format=tool&limit=1`;
    const first = await apiJson<{ items: { runId: string }[]; nextCursor: string }>(app, historyUrl);
    const second = await apiJson<{ items: { runId: string }[] }>(app, `${historyUrl}&cursor=${encodeURIComponent(first.nextCursor)}`);
    const urls = recordRequests(page);
    await open(page, app, `#/history/${encodeURIComponent('anthropic/claude-haiku-4-5')}/${test}?format=tool&limit=1`);
    const firstRuns = await page.$$eval('[data-testid="history"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    expect(firstRuns).toEqual(first.items.map((i) => i.runId));
    await page.click('[data-testid="history-pager"] a[rel="next"]');
    await page.waitForFunction(`location.hash.includes('cursor=')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    const secondRuns = await page.$$eval('[data-testid="history"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    expect(secondRuns).toEqual(second.items.map((i) => i.runId));
    expect(urls.filter((u) => u.includes('/history?')).every((u) => new URL(u).searchParams.get('limit') === '1')).toBe(true);
    await page.close();
  }, 60_000);

  it('lesson page: status, timeline, posterior with its credible band, decisions', async () => {
    const page = await chrome.newPage();
    await open(page, app, '#/lessons');
    const ids = await page.$$eval('[data-testid="lessons"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-lesson')));
    expect(ids.sort()).toEqual(['quote-paths', 'small-commits']);
    // Named by title, the id on the copy button.
    expect(await page.textContent('[data-testid="lessons"] tr[data-lesson="small-commits"] .lesson-name a')).toBe('Small, Focused Commits');
    expect(await page.getAttribute('[data-testid="lessons"] tr[data-lesson="small-commits"] .copy-id', 'data-copy')).toBe('small-commits');
    await page.click('[data-testid="lessons"] .lesson-name a[data-lesson-id="small-commits"]');
    await page.waitForSelector('[data-testid="posterior-chart"] canvas');
    await page.waitForSelector('#app[aria-busy="false"]');
    expect(await page.textContent('[data-testid="lesson-status"]')).toBe('archived');
    const timeline = await apiJson<{ entries: { type: string }[] }>(app, '/lessons/small-commits/timeline');
    const shownTypes = await page.$$eval('[data-testid="timeline"] tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
    expect(shownTypes).toEqual(timeline.entries.map((e) => e.type).reverse());
    const posterior = await apiJson<{ arms: { mean: number; lower: number; upper: number; n: number }[] }>(app, '/lessons/small-commits/posterior');
    const arm = posterior.arms[0]!;
    expect(await page.textContent('[data-testid="posterior-now"]')).toBe(
      `now: mean ${arm.mean.toFixed(3)}, 90% credible interval [${arm.lower.toFixed(3)}, ${arm.upper.toFixed(3)}], ${arm.n} reward(s)`);
    const audit = await apiJson<{ statusChanges: unknown[] }>(app, '/lessons/small-commits/audit');
    if (audit.statusChanges.length === 0) expect(await page.isVisible('[data-testid="no-decisions"]')).toBe(true);
    else expect(await page.$$('[data-testid="decisions"] > li')).toHaveLength(audit.statusChanges.length);
    expect(await page.isVisible('[data-testid="no-mutation-flags"]')).toBe(true);
    await shot(page, 'lesson');

    // A rewarded lesson: the posterior now counts its four rewards, and the band is drawn over time.
    await open(page, app, '#/lesson/quote-paths');
    await page.waitForSelector('[data-testid="posterior-chart"] canvas');
    const rewarded = (await apiJson<typeof posterior>(app, '/lessons/quote-paths/posterior')).arms[0]!;
    expect(rewarded.n).toBe(4);
    expect(await page.textContent('[data-testid="posterior-now"]')).toBe(
      `now: mean ${rewarded.mean.toFixed(3)}, 90% credible interval [${rewarded.lower.toFixed(3)}, ${rewarded.upper.toFixed(3)}], 4 reward(s)`);
    const flags = (await apiJson<{ mutationFlags: { decision: { eventId: string }; trajectory: unknown[]; editsBefore: { type: string; globalPosition: string }[] }[] }>(
      app, '/lessons/quote-paths/audit')).mutationFlags;
    expect(flags).toHaveLength(1);
    const shownFlags = await page.$$eval('[data-testid="mutation-flags"] > li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(shownFlags).toHaveLength(1);
    expect(shownFlags[0]).toContain(`decision event ${flags[0]!.decision.eventId}`);
    expect(shownFlags[0]).toContain(`${flags[0]!.trajectory.length} reward(s) before the flag`);
    expect(flags[0]!.editsBefore.map((e) => e.type)).toEqual(['LessonCreated']);
    expect(shownFlags[0]).toContain(`edits before it: LessonCreated@${flags[0]!.editsBefore[0]!.globalPosition}`);
    await shot(page, 'lesson-rewarded');
    await page.close();
  }, 60_000);

  it('experiments of the default rule set and the compare view show the API\'s answers', async () => {
    const api = await apiJson<{ ruleSetId: string; total: number; items: { changeId: string; lessonId: string; status: string }[] }>(app, '/experiments?limit=50');
    expect(api.items.length).toBeGreaterThan(0);
    const page = await chrome.newPage();
    await open(page, app, '#/experiments');
    const rows = await page.$$eval('[data-testid="experiments"] tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-change'), tr.querySelector('.lesson-name a')?.getAttribute('data-lesson-id'), tr.querySelector('.status')?.textContent]));
    expect(rows).toEqual(api.items.map((e) => [e.changeId, e.lessonId, e.status]));
    expect(await page.textContent('[data-testid="experiment-counts"]')).toMatch(new RegExp(`^${api.total} lesson change`));
    await shot(page, 'experiments');
    // Sorting by lesson, descending, is the API's order.
    await open(page, app, '#/experiments?sort=lesson&order=desc');
    const byLesson = await apiJson<typeof api>(app, '/experiments?limit=50&sort=lesson&order=desc');
    const shownLessons = await page.$$eval('[data-testid="experiments"] tbody tr .lesson-name a', (links) => links.map((a) => a.getAttribute('data-lesson-id')));
    expect(shownLessons).toEqual(byLesson.items.map((e) => e.lessonId));

    const compare = await apiJson<{ items: unknown[]; summary: { experiments: number } }>(app, '/analyses/compare?a=default&b=default');
    await open(page, app, '#/compare?a=default&b=default');
    expect(await page.textContent('[data-testid="compare-summary"]')).toMatch(new RegExp(`^${compare.summary.experiments} experiment\\(s\\): 0 change status`));
    expect(compare.items).toEqual([]);
    expect(await page.isVisible('[data-testid="no-differences"]')).toBe(true);
    await shot(page, 'compare');
    await page.close();
  }, 60_000);

  it('on a narrow screen the leaderboard becomes cards and nothing scrolls sideways', async () => {
    const page = await chrome.newPage({ width: 390, height: 844 });
    await open(page, app, '#/');
    expect(await page.isVisible('[data-testid="leaderboard"] thead')).toBe(false);
    const overflow = await page.evaluate<number>(SIDEWAYS_OVERFLOW);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'leaderboard-narrow');
    // With the header row hidden, the sort is a choice above the cards; it re-queries the API as a header click does.
    await page.selectOption('[data-testid="sort-choice"] select', 'pass_rate:desc');
    await page.waitForFunction(`location.hash.includes('sort=pass_rate')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    const byRate = await apiJson<{ items: Row[] }>(app, '/leaderboard?limit=50&sort=pass_rate&order=desc');
    const cards = await page.$$eval('[data-testid="leaderboard"] tbody tr', (trs) => trs.map((tr) => `${tr.getAttribute('data-model')}|${tr.getAttribute('data-format')}`));
    expect(cards).toEqual(byRate.items.map((r) => `${r.model}|${r.format}`));
    await open(page, app, `#/model/${encodeURIComponent('openai/gpt-4o')}?format=markdown`);
    await page.waitForSelector('[data-testid="pass-rate-chart"] canvas');
    const chartOverflow = await page.evaluate<number>(SIDEWAYS_OVERFLOW);
    expect(chartOverflow).toBeLessThanOrEqual(0);
    await shot(page, 'model-narrow');
    // The other paged lists at the same width: cards, pager and filters wrap, nothing scrolls sideways.
    for (const [route, table, name] of [
      ['#/trends?rules=gptme', 'trends', 'trends-narrow'],
      ['#/lessons', 'lessons', 'lessons-narrow'],
      ['#/experiments', 'experiments', 'experiments-narrow'],
    ] as const) {
      await open(page, app, route);
      expect(await page.isVisible(`[data-testid="${table}"] thead`)).toBe(false);
      expect(await page.isVisible(`[data-testid="${table}"] tbody tr`)).toBe(true);
      expect(await page.evaluate<number>(SIDEWAYS_OVERFLOW)).toBeLessThanOrEqual(0);
      await shot(page, name);
    }
    await page.close();
  }, 60_000);

  it('lessons: a header click sorts in the API; the text filter is the API\'s', async () => {
    const page = await chrome.newPage();
    await open(page, app, '#/lessons');
    await page.click('[data-sort="title"]');
    await page.waitForSelector('th[aria-sort="ascending"] [data-sort="title"]');
    const byTitle = await apiJson<{ items: { lessonId: string }[] }>(app, '/lessons?limit=50&sort=title&order=asc');
    const ids = () => page.$$eval('[data-testid="lessons"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-lesson')));
    expect(await ids()).toEqual(byTitle.items.map((l) => l.lessonId));
    await page.click('[data-sort="title"]');
    await page.waitForSelector('th[aria-sort="descending"] [data-sort="title"]');
    expect(await ids()).toEqual(byTitle.items.map((l) => l.lessonId).reverse());
    await page.fill('form[data-testid="lesson-filters"] input[name="q"]', 'quote');
    await page.click('form[data-testid="lesson-filters"] button[type="submit"]');
    await page.waitForFunction(`location.hash.includes('q=quote')`);
    await page.waitForSelector('#app[aria-busy="false"]');
    const quoted = await apiJson<{ items: { lessonId: string }[]; total: number }>(app, '/lessons?limit=50&q=quote');
    expect(quoted.total).toBe(1);
    expect(await ids()).toEqual(['quote-paths']);
    await page.close();
  }, 60_000);
});

describeBrowser(`dashboard when reads need a token (chromium)${suffix}`, () => {
  let app: DashboardApp;
  let chrome: OpenBrowser;
  beforeAll(async () => {
    app = await startDashboardApp({ withData: 'evals', requireReadToken: true });
    chrome = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await app?.close();
  });

  it('the page loads without a token, asks for one on 401, then shows the data with Authorization: Bearer', async () => {
    // Auth is not weakened: the API still refuses reads without the token; only the page and its assets are open.
    expect((await fetch(`${app.url}/leaderboard`)).status).toBe(401);
    expect((await fetch(`${app.url}/dashboard`)).status).toBe(200);
    expect((await fetch(`${app.url}/dashboard/assets/main.js`)).status).toBe(200);

    const page = await chrome.newPage();
    const sent: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (r) => sent.push({ url: r.url(), authorization: r.headers()['authorization'] }));
    await open(page, app, '#/');
    await page.waitForSelector('[data-testid="token-form"]');
    expect(await page.isVisible('[data-testid="token-refused"]')).toBe(false);
    await shot(page, 'token-form');

    await page.fill('[data-testid="token-form"] input[name="token"]', 'll_not-a-token');
    await page.click('[data-testid="token-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="token-refused"]');

    await page.fill('[data-testid="token-form"] input[name="token"]', READ_TOKEN);
    await page.click('[data-testid="token-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="leaderboard"] tbody tr');
    const res = await fetch(`${app.url}/leaderboard?limit=50`, { headers: { Authorization: READ_AUTH } });
    const api = (await res.json()) as { items: Row[] };
    const shown = await page.$$eval('[data-testid="leaderboard"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-model')));
    expect(shown).toEqual(api.items.map((r) => r.model));
    const lastLeaderboard = sent.filter((r) => r.url.includes('/leaderboard?')).at(-1);
    expect(lastLeaderboard?.authorization).toBe(READ_AUTH);
    await shot(page, 'token-accepted');

    // The token stays for the tab: another view loads straight away.
    await open(page, app, '#/trends?rules=gptme');
    expect(await page.isVisible('[data-testid="token-form"]')).toBe(false);
    expect(await page.isVisible('[data-testid="gptme-tabs"]')).toBe(true);
    await page.close();
  }, 90_000);
});
