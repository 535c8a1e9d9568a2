/**
 * One read per page of the global log for all the subscriptions of a store that are at the same position:
 * instances rebuilt together (a rule set's build, a version upgrade of several projections) each read every
 * page, and reading and decoding the events is most of a rebuild's cost; with this they read it once.
 *
 * Full pages are shared. The first N readable events after a position never change (everything below
 * the transaction-id horizon is final, and later commits sort after it), so a full page read by one
 * subscription is exactly what another would read. A short page (the head) depends on when it was read: it is
 * shared only among readers of the same wake-up generation (subscriptions woken by the same NOTIFY read the
 * head once, not once each). A reader that gives no generation, or another one, does its own read: an event
 * committed after the shared read began either bumped the generation already (no join) or will wake the
 * joiner again when its NOTIFY arrives, so a joiner is late by one wake-up at most and never misses an event.
 * Pages filtered by event type are shared among readers of the same types (projections of the same events
 * catching up together), by the same rules: the first N matching events never change either.
 * The event objects of a shared page are the same for every subscription: consumers must not change them
 * (projections are pure).
 *
 * A page is kept while some open subscription is behind it by at most `maxPages` pages, and at most `maxPages`
 * of them (the oldest go first): a subscription that falls further behind reads for itself again. Nothing is
 * kept when one subscription reads alone. Distances are measured in global positions (about one per event).
 */
import { comparePositions, type Position } from '../../../contracts/envelope.js';
import type { LogPage } from './log-page.js';

/** `types`: only events of these types (and, on a short page, the head; see read-events-of-types.ts). */
export type ReadPage = (after: Position | undefined, maxCount: number, types: readonly string[] | undefined) => Promise<LogPage>;

interface Page {
  after: Position | undefined;
  maxCount: number;
  /** The wake-up generation its reader saw before reading (undefined: not shared when it comes back short). */
  generation: number | undefined;
  page: Promise<LogPage>;
}

/** START sorts before every position. */
function compareAfter(a: Position | undefined, b: Position | undefined): number {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  return comparePositions(a, b);
}

function pageKey(after: Position | undefined, maxCount: number, types: readonly string[] | undefined): string {
  const filter = types ? `/${[...types].sort().join(',')}` : '';
  return (after ? `${after.commit}/${after.prepare}/${maxCount}` : `start/${maxCount}`) + filter;
}

export class SharedPages {
  private readonly pages = new Map<string, Page>();

  /**
   * @param readPage the store's own read of one page
   * @param openPositions where every open subscription of the store is (undefined: before the first event)
   */
  constructor(
    private readonly readPage: ReadPage,
    private readonly openPositions: () => Iterable<Position | undefined>,
    private readonly maxPages = 16,
  ) {}

  /** Pages held now (read or being read); for tests and diagnostics. */
  get size(): number {
    return this.pages.size;
  }

  /** `generation`: the store's wake-up generation the caller saw before asking (see the head rule above). */
  async read(after: Position | undefined, maxCount: number, generation?: number, types?: readonly string[]): Promise<LogPage> {
    this.prune();
    const key = pageKey(after, maxCount, types);
    const shared = this.pages.get(key);
    if (shared) {
      const sameWakeup = generation !== undefined && shared.generation === generation;
      const read = await shared.page.catch(() => null);
      if (read && (read.full || sameWakeup)) return read;
      return this.readPage(after, maxCount, types);
    }
    const page: Page = { after, maxCount, generation, page: this.readPage(after, maxCount, types) };
    this.pages.set(key, page);
    try {
      const read = await page.page;
      if (!read.full && this.pages.get(key) === page) this.pages.delete(key);
      return read;
    } catch (error) {
      if (this.pages.get(key) === page) this.pages.delete(key);
      throw error;
    }
  }

  /**
   * Drops the pages no open subscription is about to read: those every one has passed, and those whose
   * nearest subscription behind is more than `maxPages` pages away (it would not get there before they go);
   * then the oldest beyond `maxPages`.
   */
  prune(): void {
    if (this.pages.size === 0) return;
    const positions = [...this.openPositions()];
    for (const [key, page] of this.pages) {
      if (!positions.some((position) => this.isAhead(page, position))) this.pages.delete(key);
    }
    for (const key of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      this.pages.delete(key);
    }
  }

  /** The page is at or after `position`, at most `maxPages` pages of events (by global position) ahead of it. */
  private isAhead(page: Page, position: Position | undefined): boolean {
    if (compareAfter(page.after, position) < 0) return false;
    const from = position?.prepare ?? -1n;
    const to = page.after?.prepare ?? -1n;
    return to - from <= BigInt(this.maxPages * page.maxCount);
  }
}
