/** What an import of lesson files did, and how the CLI prints it. */
import type { RejectedLessonFile } from '../gptme/lesson-file.js';

export interface LessonImportSummary {
  /** Lesson files looked at (git: file versions). */
  files: number;
  created: string[];
  /** Files whose content changed (edits, match or status changes). */
  changed: string[];
  moved: { from: string; to: string }[];
  deleted: string[];
  /** Already in the store as they are: files (folder import) or lesson changes replayed from commits (git). */
  unchanged: number;
  /** Lessons whose file is gone, left as they are (the directory import deletes them only with prune). */
  missing: string[];
  rejected: RejectedLessonFile[];
  /** Lessons whose history could not be replayed, with why (git). */
  skippedLessons: { path: string; reason: string }[];
  /** Events written (0 when everything was already imported). */
  eventsAppended: number;
  /** git: commits that touched lesson files. */
  commits?: number;
}

export function emptyLessonImportSummary(): LessonImportSummary {
  return { files: 0, created: [], changed: [], moved: [], deleted: [], unchanged: 0, missing: [], rejected: [], skippedLessons: [], eventsAppended: 0 };
}

export function formatLessonImportSummary(summary: LessonImportSummary): string {
  const plural = summary.files === 1 ? '' : 's';
  const subject = summary.commits !== undefined ? `${summary.files} lesson file version${plural} in ${summary.commits} commit(s)` : `${summary.files} lesson file${plural}`;
  const lines = [
    `${subject}: ${summary.created.length} created, ${summary.changed.length} changed, ${summary.moved.length} moved, ` +
      `${summary.deleted.length} deleted, ${summary.unchanged} already imported, ${summary.rejected.length} rejected; ` +
      (summary.eventsAppended === 0 ? 'nothing appended' : `${summary.eventsAppended} event(s) appended`),
  ];
  for (const file of summary.rejected) {
    lines.push(`rejected ${file.path}${file.line ? `:${file.line}` : ''}${file.commit ? ` at ${file.commit.slice(0, 12)}` : ''}: ${file.reason}`);
  }
  for (const lesson of summary.skippedLessons) lines.push(`skipped ${lesson.path}: ${lesson.reason}`);
  if (summary.missing.length > 0) {
    lines.push(`${summary.missing.length} lesson(s) whose file is gone were kept (use --prune to delete them): ${summary.missing.join(', ')}`);
  }
  return lines.join('\n');
}
