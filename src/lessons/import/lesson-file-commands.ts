/** What a lesson file says, as commands on the lesson: a create for a new file, edits for a changed one. */
import type { ChangeLessonMatch, CreateLesson, EditLesson, LessonCommand } from '../domain/lesson-commands.js';
import { EDITABLE_FIELDS, MATCH_LISTS, sameJson, type LessonState } from '../domain/lesson-state.js';
import type { ParsedLessonFile } from '../gptme/lesson-file.js';

export function createCommandFor(lessonId: string, file: ParsedLessonFile, reason: string): CreateLesson {
  const command: CreateLesson = {
    kind: 'create',
    lessonId,
    path: file.path,
    title: file.title,
    category: file.category,
    body: file.body,
    match: file.match,
    status: file.status,
    reason,
  };
  if (file.description !== null) command.description = file.description;
  if (file.targetGrade !== null) command.targetGrade = file.targetGrade;
  if (file.confoundNote !== null) command.confoundNote = file.confoundNote;
  if (file.extraFrontmatter !== null) command.extraFrontmatter = file.extraFrontmatter;
  return command;
}

/**
 * The commands that bring `state` to what the file now says (its path aside: moves are the caller's):
 * an edit of the changed fields, a match change, a status change. None when nothing changed.
 */
export function changeCommandsFor(state: LessonState, file: ParsedLessonFile, reason: string): LessonCommand[] {
  const commands: LessonCommand[] = [];
  const changes: EditLesson['changes'] = {};
  for (const field of EDITABLE_FIELDS) {
    if (!sameJson(state[field], file[field])) (changes as Record<string, unknown>)[field] = file[field];
  }
  if (Object.keys(changes).length > 0) commands.push({ kind: 'edit', changes, reason });

  const add: Record<string, string[]> = {};
  const remove: Record<string, string[]> = {};
  for (const list of MATCH_LISTS) {
    const added = file.match[list].filter((entry) => !state.match[list].includes(entry));
    const removed = state.match[list].filter((entry) => !file.match[list].includes(entry));
    if (added.length > 0) add[list] = added;
    if (removed.length > 0) remove[list] = removed;
  }
  if (Object.keys(add).length > 0 || Object.keys(remove).length > 0) {
    const command: ChangeLessonMatch = { kind: 'change-match', add, remove, decidedBy: 'human', reason };
    commands.push(command);
  }

  if (file.status !== state.status) {
    commands.push({ kind: 'change-status', to: file.status, reason, decidedBy: 'human' });
  }
  return commands;
}

/**
 * Whether a file holds this lesson's content, its place aside: the path, and the category (which follows
 * the folder unless the frontmatter names one). Used to recognise a moved file.
 */
export function sameContentElsewhere(state: LessonState, file: ParsedLessonFile): boolean {
  return changeCommandsFor({ ...state, category: file.category }, file, 'compare').length === 0;
}
