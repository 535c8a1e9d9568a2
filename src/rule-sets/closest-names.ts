/**
 * "Did you mean ...?" for a misspelt name: the known names that differ from it only in case, separators
 * (`confound_window_hours`), a plural `s`, or by at most two edits (one for names of four letters or fewer,
 * where two edits would match almost anything). The closest ones win.
 */

const MAX_EDITS = 2;

export function closestNames(name: string, known: readonly string[]): string[] {
  const wanted = normalise(name);
  const limit = wanted.length <= 4 ? 1 : MAX_EDITS;
  let best = Infinity;
  let found: string[] = [];
  for (const candidate of known) {
    const distance = distanceBetween(wanted, normalise(candidate));
    if (distance > limit || distance > best) continue;
    if (distance < best) [best, found] = [distance, []];
    found.push(candidate);
  }
  return found;
}

/** Case and word separators do not count; nor does a trailing plural `s`. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '').replace(/s$/, '');
}

/** Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`. */
function distanceBetween(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
