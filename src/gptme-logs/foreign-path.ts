/**
 * The one rule that maps a path written on another machine (a gptme `Log Dir`, a lesson's `*Path: ...*`) onto
 * this one: split it into its components (on `/` and `\`), then try its trailing components, longest first,
 * against what this machine has; the first hit wins. `/home/bob/.local/share/gptme/logs/2025-10-10-x` is tried
 * as `home/bob/.local/share/gptme/logs/2025-10-10-x`, `bob/.local/...`, ..., `logs/2025-10-10-x`,
 * `2025-10-10-x`. A path holding a `.` or `..` component is refused whole, so no candidate can climb out.
 * Pure: the callers decide what "has" means (a directory under the log root, a lesson's catalogue path).
 */

export type ForeignPathComponents = { ok: true; components: string[] } | { ok: false; reason: string };

/** The path's components, or why it is refused (empty, a `.`/`..` component, a NUL byte). */
export function foreignPathComponents(foreign: string): ForeignPathComponents {
  if (foreign.includes('\0')) return { ok: false, reason: 'the path holds a NUL byte' };
  const components = foreign
    .replace(/^[A-Za-z]:(?=[\\/])/, '') // a Windows drive letter is not a component
    .split(/[\\/]+/)
    .filter((c) => c !== '');
  if (components.length === 0) return { ok: false, reason: 'the path is empty' };
  if (components.some((c) => c === '.' || c === '..')) return { ok: false, reason: 'the path holds a "." or ".." component' };
  return { ok: true, components };
}

/** Trailing component suffixes joined with `/`, longest first (empty when the path is refused). */
export function trailingSuffixes(foreign: string): string[] {
  const parsed = foreignPathComponents(foreign);
  if (!parsed.ok) return [];
  const { components } = parsed;
  return components.map((_, i) => components.slice(i).join('/'));
}

/**
 * Where a lesson `*Path:*` of another machine points in the lessons repository: the longest trailing suffix that
 * is a known lesson path. When none is, the reference kept for later is the part after the last `lessons`
 * component (gptme's lesson folders are called `lessons`, and lessonloop's lesson paths are relative to the
 * folder imported), else the last two components, so it resolves once a lesson with that path is imported.
 */
export function mapLessonPath(foreign: string, isKnown: (lessonPath: string) => boolean): { known: boolean; path: string } | null {
  const parsed = foreignPathComponents(foreign);
  if (!parsed.ok) return null;
  for (const suffix of trailingSuffixes(foreign)) if (isKnown(suffix)) return { known: true, path: suffix };
  const { components } = parsed;
  const anchor = components.lastIndexOf('lessons');
  const tail = anchor >= 0 && anchor < components.length - 1 ? components.slice(anchor + 1) : components.slice(-2);
  return { known: false, path: tail.join('/') };
}
