import { get } from '../api.js';
import { h } from '../dom.js';

export interface View {
  (path: string[], query: URLSearchParams, root: HTMLElement): Promise<(() => void) | void>;
}

/** True when the store holds no eval run at all (one row asked for). */
export async function storeIsEmpty(): Promise<boolean> {
  const page = await get<{ items: unknown[] }>('/eval-runs', { limit: 1 });
  return page.items.length === 0;
}

export function emptyStoreMessage(): HTMLElement {
  return h(
    'section',
    { class: 'empty', 'data-testid': 'empty-store' },
    h('h2', {}, 'No eval results yet'),
    h('p', {}, 'The store is empty. Import gptme eval results (a folder of run folders, each with an eval_results.csv):'),
    h('pre', {}, 'lessonloop import results path/to/eval_results'),
    h('p', {}, 'or send a run to the API: ', h('code', {}, 'POST /eval-runs'), ' (JSON) or ', h('code', {}, 'POST /eval-runs/csv'), ' (the CSV file), with a write token. See ', h('a', { href: '/docs' }, '/docs'), '.'),
    h('p', {}, 'Lessons: ', h('code', {}, 'lessonloop import lessons path/to/lessons'), '. The page shows them once the projections have caught up.'),
  );
}

/** A table from a header row and rows of cells. */
export function table(head: string[], rows: (Node | string)[][], attrs: Record<string, string> = {}): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      attrs,
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
    ),
  );
}
