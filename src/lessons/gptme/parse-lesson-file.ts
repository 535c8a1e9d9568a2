/**
 * Parses a gptme lesson: YAML frontmatter between `---` lines, then markdown. Facts from gptme's parser:
 * status defaults to `active`; the title is the first `# ` heading ("Untitled" without one); the description
 * is the frontmatter's or else the first paragraph line after the title; the category is the parent folder.
 * Here the frontmatter's `category` wins over the folder, and fields the catalogue does not model are kept
 * in `extraFrontmatter`. A file whose frontmatter cannot be read, or holds a modelled field of the wrong
 * shape, is refused with the reason.
 */
import path from 'node:path';
import { parseDocument } from 'yaml';
import { LESSON_STATUSES, type LessonMatch, type LessonStatus, type TargetGrade } from '../../../contracts/lesson.js';
import { firstParagraphLine, lessonSections, lessonTitle } from '../domain/lesson-sections.js';
import { emptyMatch, type JsonObject, type MatchList } from '../domain/lesson-state.js';
import { toPosix, type LessonFileResult, type ParsedLessonFile } from './lesson-file.js';
import { lessonFileLimitProblem } from './lesson-file-limits.js';

/** Frontmatter keys under `match` and the lists they fill. */
const MATCH_KEYS: Record<string, MatchList> = {
  keywords: 'keywords',
  patterns: 'patterns',
  tools: 'tools',
  session_categories: 'sessionCategories',
};
const MODELLED_KEYS = new Set(['match', 'status', 'description', 'category', 'target_grade', 'confound_note']);

class Malformed extends Error {}

export interface ParseLessonOptions {
  /** Category of a file directly in the lessons root (gptme: the root folder's own name). */
  rootCategory?: string;
}

export function parseLessonFile(relativePath: string, text: string, options: ParseLessonOptions = {}): LessonFileResult {
  const filePath = toPosix(relativePath);
  try {
    const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const { frontmatter, body } = splitFrontmatter(source);
    const fields = frontmatter === null ? {} : readYaml(frontmatter);
    const folder = path.posix.dirname(filePath);
    const defaultCategory = folder === '.' ? (options.rootCategory ?? 'lessons') : path.posix.basename(folder);
    const statusField = optionalText(fields, 'status');
    const status = statusField === null ? 'active' : knownStatus(statusField);
    const lesson: ParsedLessonFile = {
        path: filePath,
        title: lessonTitle(body) ?? 'Untitled',
        description: optionalText(fields, 'description') ?? firstParagraphLine(body),
        category: optionalText(fields, 'category') ?? defaultCategory,
        body,
        sections: lessonSections(body),
        match: readMatch(fields.match),
        status,
        statusGiven: statusField !== null,
        targetGrade: readTargetGrade(fields.target_grade),
        confoundNote: optionalText(fields, 'confound_note'),
        extraFrontmatter: extraFields(fields),
    };
    const overLimit = lessonFileLimitProblem(lesson, source);
    if (overLimit) return { ok: false, path: filePath, ...(overLimit.line > 0 ? { line: overLimit.line } : {}), reason: overLimit.reason };
    return { ok: true, lesson };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, path: filePath, reason: error.message };
    throw error;
  }
}

function splitFrontmatter(text: string): { frontmatter: string | null; body: string } {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { frontmatter: null, body: text.trim() };
  const end = lines.findIndex((line, index) => index > 0 && (line.trimEnd() === '---' || line.trimEnd() === '...'));
  if (end < 0) throw new Malformed('the frontmatter opened by --- on line 1 is never closed by a --- line');
  return { frontmatter: lines.slice(1, end).join('\n'), body: lines.slice(end + 1).join('\n').trim() };
}

function readYaml(source: string): Record<string, unknown> {
  const document = parseDocument(source, { schema: 'core', uniqueKeys: true, prettyErrors: true });
  const error = document.errors[0];
  if (error) {
    const where = error.linePos?.[0] ? ` (frontmatter line ${error.linePos[0].line}, column ${error.linePos[0].col})` : '';
    throw new Malformed(`invalid YAML frontmatter${where}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Malformed(`the frontmatter must be a mapping of fields, not ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
  }
  return value as Record<string, unknown>;
}

function optionalText(fields: Record<string, unknown>, key: string): string | null {
  const value = fields[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Malformed(`${key} must be text, not ${describe(value)}`);
  return value.trim() === '' ? null : value;
}

function knownStatus(value: string): LessonStatus {
  if ((LESSON_STATUSES as readonly string[]).includes(value)) return value as LessonStatus;
  throw new Malformed(`unknown status "${value}" (known: ${LESSON_STATUSES.join(', ')})`);
}

function readMatch(value: unknown): LessonMatch {
  const match = emptyMatch();
  if (value === undefined || value === null) return match;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Malformed(`match must be a mapping (keywords, patterns, tools, session_categories), not ${describe(value)}`);
  }
  for (const [key, list] of Object.entries(MATCH_KEYS)) {
    match[list] = textList((value as Record<string, unknown>)[key], `match.${key}`);
  }
  return match;
}

/** A list of texts (numbers and booleans written bare in YAML are taken as text); one text alone is a list of one. */
function textList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  const entries = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  entries.forEach((entry, index) => {
    const at = Array.isArray(value) ? `${field}[${index}]` : field;
    if (typeof entry === 'number' || typeof entry === 'boolean') entry = String(entry);
    if (typeof entry !== 'string') throw new Malformed(`${at} must be text, not ${describe(entry)}`);
    if (entry.trim() === '') throw new Malformed(`${at} is empty`);
    if (!out.includes(entry)) out.push(entry);
  });
  return out;
}

function readTargetGrade(value: unknown): TargetGrade | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (Array.isArray(value) && value.length > 0) return textList(value, 'target_grade');
  throw new Malformed(`target_grade must be a grade name or a list of them, not ${describe(value)}`);
}

function extraFields(fields: Record<string, unknown>): JsonObject | null {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!MODELLED_KEYS.has(key)) extra[key] = value;
  }
  if (fields.match && typeof fields.match === 'object') {
    const unknownMatchKeys = Object.entries(fields.match as Record<string, unknown>).filter(([key]) => !(key in MATCH_KEYS));
    if (unknownMatchKeys.length > 0) extra.match = Object.fromEntries(unknownMatchKeys);
  }
  for (const [key, value] of Object.entries(extra)) assertJson(value, key);
  return Object.keys(extra).length > 0 ? (extra as JsonObject) : null;
}

function assertJson(value: unknown, at: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Malformed(`${at} holds ${value}, which JSON cannot hold`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertJson(item, `${at}[${index}]`));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) assertJson(item, `${at}.${key}`);
    return;
  }
  throw new Malformed(`${at} holds ${describe(value)}, which JSON cannot hold`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'a mapping' : `the ${typeof value} ${JSON.stringify(value)}`;
}
