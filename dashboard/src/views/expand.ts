/** Rows whose details open below them on click: loaded when first opened, let go when closed or when the view goes. */
import { h } from '../dom.js';

export interface Detail {
  el: HTMLElement;
  /** Called once the element is in the page (charts need their width). */
  draw?(): void;
  destroy?(): void;
}

export class Expander {
  private readonly open = new Map<HTMLTableRowElement, Detail | null>();
  /** The window narrowed or widened: each open detail follows its scrolling box (else it keeps the table wide). */
  private readonly fit = () => {
    for (const row of this.open.keys()) {
      const holder = row.nextElementSibling?.querySelector<HTMLElement>(':scope > td > .detail-body');
      const wrap = row.closest<HTMLElement>('.table-wrap');
      if (holder && wrap) {
        holder.style.width = '280px';
        holder.style.width = `${Math.max(280, wrap.clientWidth - 26)}px`;
      }
    }
  };

  constructor() {
    window.addEventListener('resize', this.fit);
  }

  /** A button cell for `row`; the detail spans `columns` cells. */
  toggle(row: HTMLTableRowElement, columns: number, load: () => Promise<Detail>, label = 'details'): HTMLElement {
    const button = h('button', { type: 'button', class: 'expand', 'aria-expanded': 'false', 'data-testid': 'expand' }, `▸ ${label}`);
    button.addEventListener('click', () => void this.flip(row, button, columns, load, label));
    return button;
  }

  private async flip(row: HTMLTableRowElement, button: HTMLElement, columns: number, load: () => Promise<Detail>, label: string): Promise<void> {
    if (this.open.has(row)) {
      this.open.get(row)?.destroy?.();
      this.open.delete(row);
      (row.nextElementSibling as HTMLElement | null)?.remove();
      button.setAttribute('aria-expanded', 'false');
      button.textContent = `▸ ${label}`;
      return;
    }
    this.open.set(row, null);
    button.setAttribute('aria-expanded', 'true');
    button.textContent = `▾ ${label}`;
    const cell = h('td', { colspan: columns }, h('p', { class: 'loading' }, 'Loading…'));
    const detail = h('tr', { class: 'detail', 'data-testid': 'detail' }, cell);
    row.after(detail);
    try {
      const shown = await load();
      if (!this.open.has(row)) return shown.destroy?.();
      this.open.set(row, shown);
      // As wide as the scrolling box the table sits in, not the table: a wide table must not widen the picture.
      const wrap = row.closest<HTMLElement>('.table-wrap');
      const holder = h('div', { class: 'detail-body' }, shown.el);
      if (wrap) holder.style.width = `${Math.max(280, wrap.clientWidth - 26)}px`;
      cell.replaceChildren(holder);
      shown.draw?.();
      detail.setAttribute('data-loaded', 'true');
    } catch (error) {
      cell.replaceChildren(h('p', { class: 'error' }, error instanceof Error ? error.message : String(error)));
      detail.setAttribute('data-loaded', 'true');
    }
  }

  destroy(): void {
    window.removeEventListener('resize', this.fit);
    for (const detail of this.open.values()) detail?.destroy?.();
    this.open.clear();
  }
}
