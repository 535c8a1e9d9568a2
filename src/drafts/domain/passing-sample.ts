/**
 * Which passing logs a pattern's keywords are judged against on its training days: half from the pattern's own
 * test family (where a keyword must not fire on success), half from every family, each chosen by a hash of the
 * outcome id so the same history always gives the same sample. Pure.
 */
export interface PassingCandidate {
  id: string;
  family: string;
}

/** FNV-1a, 32 bits: a stable order that does not follow the log's. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function selectPassingSample<C extends PassingCandidate>(candidates: readonly C[], family: string, size: number): C[] {
  const ordered = candidates.map((c) => ({ c, h: hash(c.id) })).sort((a, b) => a.h - b.h || (a.c.id < b.c.id ? -1 : 1));
  const own = ordered.filter((x) => x.c.family === family).slice(0, Math.ceil(size / 2));
  const taken = new Set(own.map((x) => x.c.id));
  const rest = ordered.filter((x) => !taken.has(x.c.id)).slice(0, size - own.length);
  return [...own, ...rest].map((x) => x.c);
}
