/** A tiny element builder: h('a', { href: '#/' }, 'text', child). Strings become text nodes (never HTML). */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : String(child));
  }
  return el;
}

export const pct = (rate: number | null | undefined, digits = 1) =>
  rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(digits)}%`;

export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '–');
export const minute = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '–');

/** A hash link: route plus query parameters (empty ones dropped). */
export function link(route: string, params: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `#${route}${qs ? `?${qs}` : ''}`;
}

export const seg = (value: string) => encodeURIComponent(value);
