/** A gptme lesson file as read from disk or from a commit, and which files count as lessons. */
import path from 'node:path';
import type { LessonMatch, LessonStatus, TargetGrade } from '../../../contracts/lesson.js';
import type { LessonSections } from '../domain/lesson-sections.js';
import type { JsonObject } from '../domain/lesson-state.js';

export interface ParsedLessonFile {
  /** Relative to the lessons root, `/`-separated. */
  path: string;
  title: string;
  description: string | null;
  category: string;
  body: string;
  sections: LessonSections;
  match: LessonMatch;
  status: LessonStatus;
  /** False when the frontmatter has no status (gptme then reads it as `active`). */
  statusGiven: boolean;
  targetGrade: TargetGrade | null;
  confoundNote: string | null;
  extraFrontmatter: JsonObject | null;
}

export type LessonFileResult = { ok: true; lesson: ParsedLessonFile } | { ok: false; path: string; line?: number; reason: string };

/** The file was refused (malformed frontmatter, a field of the wrong shape): it is skipped, the others go on. */
export interface RejectedLessonFile {
  path: string;
  /** The line of the file at fault, when the reason is about one field (a limit: contracts/limits.ts). */
  line?: number;
  reason: string;
  /** The commit whose version of the file was refused (git replay). */
  commit?: string;
}

/**
 * gptme indexes `*.md` and `*.mdc` files, except README.md, TODO.md, names containing "template", and
 * anything under `.git/` or a worktree. Hidden folders are skipped here as well.
 */
export function isLessonFilePath(relativePath: string): boolean {
  const posix = toPosix(relativePath);
  const base = path.posix.basename(posix).toLowerCase();
  if (!base.endsWith('.md') && !base.endsWith('.mdc')) return false;
  if (base === 'readme.md' || base === 'todo.md' || base.includes('template')) return false;
  const segments = posix.split('/');
  if (segments.slice(0, -1).some((segment) => segment.startsWith('.'))) return false;
  return !`/${posix}`.includes('worktree/');
}

export function toPosix(relativePath: string): string {
  return relativePath.split(path.sep).join('/').replace(/^\.\//, '');
}
