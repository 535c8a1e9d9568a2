/**
 * Lists a page at a time: the hash holds offset, limit, sort and order; every change re-queries the API, which
 * sorts the whole list and cuts the page (the page never sorts or slices rows itself).
 */
import { h } from '../dom.js';

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;
/** The API's largest page. */
export const MAX_PAGE_SIZE = 500;

export type Order = 'asc' | 'desc';

export interface ListState {
  offset: number;
  limit: number;
  sort: string | null;
  order: Order;
}

export interface PageInfo {
  offset: number;
  total: number;
  items: readonly unknown[];
}

/** Where the hash changes go: the current route with some parameters replaced. */
export type Href = (changes: Record<string, string | number | null>) => string;

/** A page size from the hash: the choices offered, or any size the API takes (a link may carry one). */
export function pageSize(query: URLSearchParams): number {
  const limit = Number(query.get('limit'));
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE ? limit : DEFAULT_PAGE_SIZE;
}

export function listState(query: URLSearchParams): ListState {
  return {
    offset: Math.max(0, Number(query.get('offset') ?? 0) || 0),
    limit: pageSize(query),
    sort: query.get('sort') || null,
    order: query.get('order') === 'desc' ? 'desc' : 'asc',
  };
}

/** The list parameters as the API takes them (no sort: the API's own ranking). */
export function apiListParams(state: ListState): Record<string, string | number | null> {
  return { limit: state.limit, offset: state.offset, sort: state.sort, order: state.sort ? state.order : null };
}

/** The list parameters kept in the hash (page size and sort survive a filter change; the offset does not). */
export function hashListParams(state: ListState): Record<string, string | number | null> {
  return { limit: state.limit === DEFAULT_PAGE_SIZE ? null : state.limit, sort: state.sort, order: state.sort ? state.order : null };
}

export interface Column {
  label: string;
  /** The API's sort key; null: not sortable. */
  key: string | null;
  numeric?: boolean;
  /** Low priority: hidden on screens under 1180 px (the row's details show it). */
  lo?: boolean;
}

/**
 * A header row whose sortable headers link to the same list sorted by them (first click: numbers high to low,
 * text A to Z; again: the other way), back on the first page.
 */
export function sortableHead(columns: readonly Column[], state: ListState, href: Href): HTMLElement {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      ...columns.map((c) => {
        const cls = [c.numeric ? 'num' : '', c.lo ? 'lo' : ''].join(' ').trim() || null;
        if (c.key === null) return h('th', { scope: 'col', class: cls }, c.label);
        const active = state.sort === c.key;
        const first: Order = c.numeric ? 'desc' : 'asc';
        const next: Order = active ? (state.order === 'asc' ? 'desc' : 'asc') : first;
        return h(
          'th',
          { scope: 'col', class: cls, 'aria-sort': active ? (state.order === 'asc' ? 'ascending' : 'descending') : null },
          h('a', { href: href({ sort: c.key, order: next, offset: null }), 'data-sort': c.key }, c.label, active ? (state.order === 'asc' ? ' ▲' : ' ▼') : ''),
        );
      }),
    ),
  );
}

/** The page-size choice: the usual sizes, and the current one if a link asked for another. */
export function pageSizeSelect(limit: number, label: string): HTMLSelectElement {
  const sizes = (PAGE_SIZES as readonly number[]).includes(limit) ? [...PAGE_SIZES] : [...PAGE_SIZES, limit].sort((a, b) => a - b);
  return h('select', { name: 'limit', 'aria-label': label }, ...sizes.map((n) => h('option', { value: n, selected: n === limit }, `${n} per page`)));
}

/**
 * The sort as a choice, for narrow screens where rows are cards and the header row is hidden: each sortable
 * column in either order, or the API's own order.
 */
export function sortSelect(columns: readonly Column[], state: ListState, href: Href): HTMLElement {
  const current = state.sort ? `${state.sort}:${state.order}` : '';
  const options = [h('option', { value: '', selected: current === '' }, 'default order')];
  for (const c of columns) {
    if (c.key === null) continue;
    for (const order of ['asc', 'desc'] as const) {
      const value = `${c.key}:${order}`;
      const arrow = order === 'asc' ? (c.numeric ? 'low to high' : 'A to Z') : c.numeric ? 'high to low' : 'Z to A';
      options.push(h('option', { value, selected: value === current }, `${c.label}, ${arrow}`));
    }
  }
  const select = h('select', { name: 'sort', 'aria-label': 'sort by' }, ...options);
  select.addEventListener('change', () => {
    const [sort = '', order = 'asc'] = select.value.split(':');
    location.hash = href({ sort: sort || null, order: sort ? order : null, offset: null });
  });
  return h('label', { class: 'narrow-only sort-choice', 'data-testid': 'sort-choice' }, 'Sort ', select);
}

/** A paged list's table: headers that sort on wide screens, the sort choice above the cards on narrow ones. */
export function listTable(testid: string, columns: readonly Column[], state: ListState, href: Href, rows: HTMLElement[]): HTMLElement {
  return h(
    'div',
    { class: 'list' },
    sortSelect(columns, state, href),
    h('div', { class: 'table-wrap' }, h('table', { class: 'cards', 'data-testid': testid }, sortableHead(columns, state, href), h('tbody', {}, ...rows))),
  );
}

/** "rows 51–100 of 1234", previous/next links and a page-size choice. */
export function pager(page: PageInfo, state: ListState, href: Href, testid: string): HTMLElement {
  const last = Math.min(page.offset + page.items.length, page.total);
  const size = pageSizeSelect(state.limit, 'rows per page');
  size.addEventListener('change', () => {
    location.hash = href({ limit: Number(size.value) === DEFAULT_PAGE_SIZE ? null : size.value, offset: null });
  });
  return h(
    'nav',
    { class: 'pager', 'data-testid': testid },
    page.offset > 0 ? h('a', { href: href({ offset: Math.max(0, page.offset - state.limit) || null }), rel: 'prev' }, '← previous') : '',
    h('span', { class: 'count' }, page.total === 0 || page.items.length === 0 ? `0 of ${page.total}` : `rows ${page.offset + 1}–${last} of ${page.total}`),
    last < page.total ? h('a', { href: href({ offset: page.offset + state.limit }), rel: 'next' }, 'next →') : '',
    size,
  );
}

/** A hash link to `route` with `base` parameters, `changes` applied on top (null removes a parameter). */
export function hrefFor(route: string, base: Record<string, string | number | null>): Href {
  return (changes) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...base, ...changes })) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
    const qs = q.toString();
    return `#${route}${qs ? `?${qs}` : ''}`;
  };
}

/** A form of text inputs (and other fields) that, on submit, goes to the list with those filters, first page. */
export function filterForm(testid: string, fields: HTMLElement[], submit: (data: FormData) => void): HTMLFormElement {
  const form = h('form', { class: 'filters', 'data-testid': testid }, ...fields, h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(new FormData(form));
  });
  return form;
}

export const textField = (name: string, label: string, value: string, size = 10) =>
  h('label', {}, `${label} `, h('input', { name, value, placeholder: 'any', size }));

export const dateField = (name: string, label: string, value: string) => h('label', {}, `${label} `, h('input', { type: 'date', name, value }));

export const formText = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** A yyyy-mm-dd date from a date input as the API's instant (start of that UTC day); '' stays ''. */
export const dayStart = (date: string) => (date ? new Date(`${date}T00:00:00Z`).toISOString() : '');
