/**
 * A parsed lesson file against the limits its events will be held to (contracts/limits.ts), so a file that
 * breaks one is refused as `path:line: field reason` with the limit, like any other malformed file, instead
 * of failing the whole import when the store refuses the event.
 */
import { boundedJsonObject, LIMITS, stringProblems, type StringPolicy } from '../../../contracts/limits.js';
import type { ParsedLessonFile } from './lesson-file.js';

export interface LessonFileProblem {
  /** 1-based line in the file where the field is written; 0 when it is not written in the file (the path). */
  line: number;
  reason: string;
}

const name: StringPolicy = { maxBytes: LIMITS.name, identifierLike: true };
const text: StringPolicy = { maxBytes: LIMITS.text, identifierLike: false };

/** The first field of `lesson` over its limit, with the line of `source` (the file as parsed) it is on. */
export function lessonFileLimitProblem(lesson: ParsedLessonFile, source: string): LessonFileProblem | null {
  const fields: Array<[field: string, value: string | null, policy: StringPolicy]> = [
    ['path', lesson.path, { maxBytes: LIMITS.path, identifierLike: true }],
    ['title', lesson.title, { maxBytes: LIMITS.title, identifierLike: false }],
    ['description', lesson.description, text],
    ['category', lesson.category, name],
    ['confound_note', lesson.confoundNote, text],
    ...(Array.isArray(lesson.targetGrade) ? lesson.targetGrade : [lesson.targetGrade]).map(
      (grade): [string, string | null, StringPolicy] => ['target_grade', grade, name],
    ),
    ...lesson.match.keywords.map((k): [string, string, StringPolicy] => ['match.keywords', k, name]),
    ...lesson.match.patterns.map((p): [string, string, StringPolicy] => ['match.patterns', p, { maxBytes: LIMITS.pattern, identifierLike: true }]),
    ...lesson.match.tools.map((t): [string, string, StringPolicy] => ['match.tools', t, name]),
    ...lesson.match.sessionCategories.map((c): [string, string, StringPolicy] => ['match.session_categories', c, name]),
    ['body', lesson.body, { maxBytes: LIMITS.body, identifierLike: false }],
  ];
  for (const [field, value, policy] of fields) {
    if (value === null) continue;
    const problems = stringProblems(value, policy);
    if (problems.length > 0) return { line: field === 'path' ? 0 : lineOf(source, value), reason: `${field} ${problems.join('; ')}` };
  }
  if (lesson.extraFrontmatter) {
    const checked = boundedJsonObject().safeParse(lesson.extraFrontmatter);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const key = String(issue.path[0] ?? Object.keys(lesson.extraFrontmatter)[0] ?? '');
      return { line: lineOf(source, `${key}:`), reason: `frontmatter ${issue.path.map(String).join('.') || 'fields kept verbatim'} ${issue.message}` };
    }
  }
  return null;
}

/** The line `value` starts on in `source` (by its first 64 characters), or 1 when it is not written as is. */
function lineOf(source: string, value: string): number {
  const at = source.indexOf(value.slice(0, 64));
  if (at < 0 || value === '') return 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < at; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
