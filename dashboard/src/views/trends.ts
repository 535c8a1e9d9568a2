import { get } from '../api.js';
import { day, h, link, pct, seg } from '../dom.js';
import type { GptmeTrend, GptmeTrends, StatTrend, StatTrends } from '../types.js';
import { emptyStoreMessage, storeIsEmpty, table, type View } from './common.js';

const PAGE = 50;

const historyLink = (model: string, format: string, test: string) =>
  h('a', { href: link(`/history/${seg(model)}/${seg(test)}`, { format }), class: 'history-link' }, test);

/** gptme's model@format key: split on the last @ (as gptme does); no @ means the default format. */
function splitGptmeKey(key: string): { model: string; format: string } {
  const at = key.lastIndexOf('@');
  return at > 0 ? { model: key.slice(0, at), format: key.slice(at + 1) } : { model: key, format: 'default' };
}

async function statistical(label: 'regression' | 'flaky', offset: number): Promise<HTMLElement> {
  const page = await get<StatTrends>('/trends', { label, limit: PAGE, offset });
  const rows = page.items.map((t: StatTrend) => [
    t.model, t.format, historyLink(t.model, t.format, t.test), String(t.runs), pct(t.baseline.pass_rate), pct(t.recent.pass_rate),
    label === 'regression' ? (t.p_regression === null ? '–' : t.p_regression.toFixed(3)) : t.flip_rate.toFixed(2), day(t.latest_run_at),
  ]);
  return h('section', { 'data-testid': `stat-${label}` },
    h('h2', {}, label === 'regression' ? 'Regressions' : 'Flaky tests', h('span', { class: 'sub' }, ` ${page.total}`)),
    rows.length === 0 ? h('p', { class: 'none' }, `No ${label === 'regression' ? 'regression' : 'flaky test'} by these rules.`)
      : table(['Model', 'Format', 'Test', 'Runs', 'Before', 'Recent', label === 'regression' ? 'p' : 'Flip rate', 'Latest'], rows),
    page.total > PAGE ? h('p', { class: 'hint' }, `Showing ${offset + 1}–${offset + page.items.length} of ${page.total}.`) : '');
}

function gptmeList(title: string, id: string, items: GptmeTrend[]): HTMLElement {
  const shown = items.slice(0, PAGE);
  return h('section', { 'data-testid': `gptme-${id}` },
    h('h2', {}, title, h('span', { class: 'sub' }, ` ${items.length}`)),
    shown.length === 0 ? h('p', { class: 'none' }, 'None.')
      : table(['Model', 'Test', 'Latest', 'Previous', 'Pass rate', 'Runs', 'Latest run'], shown.map((t) => {
          const { model, format } = splitGptmeKey(t.model);
          return [t.model, historyLink(model, format, t.test), t.latest_passed ? 'pass' : 'fail', t.previous_passed ? 'pass' : 'fail', pct(t.pass_rate), String(t.total_runs), t.latest_run];
        })),
    items.length > shown.length ? h('p', { class: 'hint' }, `Showing ${PAGE} of ${items.length}.`) : '');
}

/** Regressions and flaky tests, by the statistical rules (default) or gptme's; each test links to its history. */
export const trendsView: View = async (_path, query, root) => {
  if (await storeIsEmpty()) {
    root.replaceChildren(emptyStoreMessage());
    return;
  }
  const rules = query.get('rules') === 'gptme' ? 'gptme' : 'statistical';
  const offset = Number(query.get('offset') ?? 0) || 0;
  const tabs = h('nav', { class: 'tabs' },
    h('a', { href: link('/trends'), class: rules === 'statistical' ? 'active' : '' }, 'Statistical rules'),
    h('a', { href: link('/trends', { rules: 'gptme' }), class: rules === 'gptme' ? 'active' : '', 'data-testid': 'gptme-tab' }, "gptme's rules"));
  if (rules === 'gptme') {
    const report = await get<GptmeTrends>('/trends', { rules: 'gptme' });
    root.replaceChildren(h('h1', {}, 'Regressions & flaky tests'), tabs,
      gptmeList('Regressions', 'regressions', report.regressions), gptmeList('Flaky tests', 'flaky', report.flaky));
    return;
  }
  const [regressions, flaky] = await Promise.all([statistical('regression', offset), statistical('flaky', offset)]);
  root.replaceChildren(h('h1', {}, 'Regressions & flaky tests'), tabs,
    h('p', { class: 'hint' }, 'Over the last runs of each (model, format, test): regression by a one-sided Fisher test, flaky by flip rate and entropy.'),
    regressions, flaky);
};
