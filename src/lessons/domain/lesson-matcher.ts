/**
 * Which lessons apply to a text, by gptme's rules (facts from gptme's lesson matcher):
 * - a keyword matches when it occurs in the text, case-insensitively, anywhere (a substring); `*` in a
 *   keyword stands for zero or more word characters (`process killed at * seconds`);
 * - a pattern is a regular expression searched case-insensitively; one that does not compile never matches;
 * - a tool matches when it is among the tools used (exact name);
 * - score = 1 per matching keyword + 1 per matching pattern + 2 per matching tool; only a score above the
 *   threshold (default 0) counts; best first.
 * Pure and dependency-free: the bandit draws among what this returns.
 */

export const MATCH_WEIGHTS = { keyword: 1, pattern: 1, tool: 2 } as const;

export interface MatchableLesson {
  lessonId: string;
  match: { keywords: readonly string[]; patterns: readonly string[]; tools: readonly string[] };
}

export interface MatchContext {
  text: string;
  toolsUsed?: readonly string[];
}

export interface LessonMatchResult<L extends MatchableLesson = MatchableLesson> {
  lesson: L;
  score: number;
  /** What matched, in order: `keyword:<keyword>`, `pattern:<pattern>`, `tool:<tool>`. */
  matchedBy: string[];
}

const SYNTAX_CHARACTERS = /[\\^$.*+?()[\]{}|/]/g;
/** Python's `\w` on text: letters, digits (any script) and underscore. */
const WORD_CHARACTERS = '[\\p{L}\\p{N}_]*';

const keywordCache = new Map<string, RegExp | null>();
const patternCache = new Map<string, RegExp | null>();
const CACHE_LIMIT = 4096;

function cached(cache: Map<string, RegExp | null>, key: string, build: () => RegExp | null): RegExp | null {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/** The regular expression a keyword stands for; null for an empty keyword. */
export function keywordRegExp(keyword: string): RegExp | null {
  return cached(keywordCache, keyword, () => {
    const text = keyword.trim().toLowerCase();
    if (text === '') return null;
    const source = text
      .split('*')
      .map((part) => part.replace(SYNTAX_CHARACTERS, '\\$&'))
      .join(WORD_CHARACTERS);
    return new RegExp(source, 'iu');
  });
}

/**
 * A lesson pattern as a JavaScript RegExp. Patterns are written for Python's `re`: named groups
 * `(?P<name>...)` / `(?P=name)` and a leading `(?i)` are translated; anything else that JavaScript cannot
 * compile gives null (the pattern never matches, as gptme skips a pattern it cannot compile).
 */
export function patternRegExp(pattern: string): RegExp | null {
  return cached(patternCache, pattern, () => {
    if (pattern.trim() === '') return null;
    const source = pattern
      .replace(/^\(\?i\)/, '')
      .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
      .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
    for (const flags of ['iu', 'i']) {
      try {
        return new RegExp(source, flags);
      } catch {
        // try the next flags: Unicode mode refuses some escapes Python allows (`\-` outside a class)
      }
    }
    return null;
  });
}

export function isValidPattern(pattern: string): boolean {
  return patternRegExp(pattern) !== null;
}

export function scoreLesson(lesson: MatchableLesson, context: MatchContext): { score: number; matchedBy: string[] } {
  const text = context.text.toLowerCase();
  const tools = context.toolsUsed ?? [];
  let score = 0;
  const matchedBy: string[] = [];
  for (const keyword of lesson.match.keywords) {
    if (keywordRegExp(keyword)?.test(text)) {
      score += MATCH_WEIGHTS.keyword;
      matchedBy.push(`keyword:${keyword}`);
    }
  }
  for (const pattern of lesson.match.patterns) {
    if (patternRegExp(pattern)?.test(text)) {
      score += MATCH_WEIGHTS.pattern;
      matchedBy.push(`pattern:${pattern}`);
    }
  }
  for (const tool of lesson.match.tools) {
    if (tools.includes(tool)) {
      score += MATCH_WEIGHTS.tool;
      matchedBy.push(`tool:${tool}`);
    }
  }
  return { score, matchedBy };
}

/** The lessons scoring above `threshold`, best first (ties by lessonId, so the order is stable). */
export function matchLessons<L extends MatchableLesson>(
  lessons: readonly L[],
  context: MatchContext,
  threshold = 0,
): LessonMatchResult<L>[] {
  const results: LessonMatchResult<L>[] = [];
  for (const lesson of lessons) {
    const { score, matchedBy } = scoreLesson(lesson, context);
    if (score > threshold) results.push({ lesson, score, matchedBy });
  }
  return results.sort((a, b) => b.score - a.score || (a.lesson.lessonId < b.lesson.lessonId ? -1 : a.lesson.lessonId > b.lesson.lessonId ? 1 : 0));
}
