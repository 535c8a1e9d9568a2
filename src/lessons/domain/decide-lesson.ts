/**
 * decide: the events a command gives on a lesson's current state, or LessonRejectedError with every reason.
 * Pure: the HTTP handlers, the directory importer and the git replayer all decide through it.
 */
import type { Decider } from '../../../contracts/evidence.js';
import { LESSON_STATUSES, type LessonMatch, type LessonStatus, type TargetGrade } from '../../../contracts/lesson.js';
import { evolveLesson } from './evolve-lesson.js';
import type {
  ChangeLessonMatch,
  ChangeLessonStatus,
  CreateLesson,
  DeleteLesson,
  EditLesson,
  LessonCommand,
  MatchLists,
  MoveLesson,
  MutateLesson,
} from './lesson-commands.js';
import { LessonAlreadyExistsError, LessonNotFoundError, LessonRejectedError, type LessonProblem } from './lesson-errors.js';
import { emptyMatch, MATCH_LISTS, sameJson, type LessonState } from './lesson-state.js';
import type { LessonEventDraft } from './lesson-stream.js';

/** `lessonId` names the lesson the command is for (used in errors when there is no state yet). */
export function decideLesson(state: LessonState | null, command: LessonCommand, lessonId: string = state?.lessonId ?? '?'): LessonEventDraft[] {
  if (command.kind === 'create') {
    if (state) throw new LessonAlreadyExistsError(state.lessonId);
    return [create(command)];
  }
  if (!state) throw new LessonNotFoundError(lessonId);
  if (state.deleted) throw new LessonRejectedError([{ field: null, reason: `lesson ${state.lessonId} was deleted` }]);
  switch (command.kind) {
    case 'edit':
      return [edit(state, command)];
    case 'change-match':
      return [changeMatch(state, command)];
    case 'change-status':
      return [changeStatus(state, command)];
    case 'mutate':
      return [mutate(state, command)];
    case 'move':
      return [move(state, command)];
    case 'delete':
      return [remove(state, command)];
  }
}

/**
 * Several commands as one change (a PATCH with new fields, match and status; a file edited between two
 * imports): each is decided on the state the previous ones leave. All or nothing.
 */
export function decideLessonChanges(state: LessonState | null, commands: readonly LessonCommand[], lessonId?: string): LessonEventDraft[] {
  const drafts: LessonEventDraft[] = [];
  let current = state;
  for (const command of commands) {
    for (const draft of decideLesson(current, command, lessonId)) {
      drafts.push(draft);
      if (command.kind !== 'mutate') current = evolveLesson(current, { ...draft, metadata: { occurredAt: current?.updatedAt ?? '' } });
    }
  }
  return drafts;
}

function create(command: CreateLesson): LessonEventDraft {
  const problems: LessonProblem[] = [];
  const status = checkStatus(command.status ?? 'active', 'status', problems);
  const match = checkedMatchLists(command.match ?? {}, 'match', problems);
  requireText(command.lessonId, 'lessonId', problems);
  requireText(command.title, 'title', problems);
  requireText(command.category, 'category', problems);
  optionalText(command.description, 'description', problems);
  optionalText(command.confoundNote, 'confoundNote', problems);
  optionalText(command.path, 'path', problems);
  if (command.targetGrade !== undefined) checkTargetGrade(command.targetGrade, 'targetGrade', problems);
  optionalText(command.reason, 'reason', problems);
  rejectIfAny(problems);
  return {
    type: 'LessonCreated',
    data: withoutUndefined({
      lessonId: command.lessonId,
      path: command.path,
      title: command.title,
      description: command.description,
      category: command.category,
      body: command.body,
      match: { ...emptyMatch(), ...match },
      status: status!,
      targetGrade: command.targetGrade,
      confoundNote: command.confoundNote,
      extraFrontmatter: command.extraFrontmatter,
      reason: command.reason,
    }),
  };
}

function edit(state: LessonState, command: EditLesson): LessonEventDraft {
  const problems: LessonProblem[] = [];
  const given = command.changes;
  if (given.title !== undefined) requireText(given.title, 'title', problems);
  if (given.category !== undefined) requireText(given.category, 'category', problems);
  if (given.description !== undefined && given.description !== null) requireText(given.description, 'description', problems);
  if (given.confoundNote !== undefined && given.confoundNote !== null) requireText(given.confoundNote, 'confoundNote', problems);
  if (given.targetGrade !== undefined && given.targetGrade !== null) checkTargetGrade(given.targetGrade, 'targetGrade', problems);
  optionalText(command.reason, 'reason', problems);
  rejectIfAny(problems);

  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(given)) {
    if (to === undefined) continue;
    const from = (state as unknown as Record<string, unknown>)[field] ?? null;
    if (!sameJson(from, to)) changes[field] = { from, to };
  }
  if (Object.keys(changes).length === 0) {
    rejectIfAny([{ field: 'changes', reason: 'nothing to change: every given field already has that value' }]);
  }
  return {
    type: 'LessonEdited',
    data: withoutUndefined({ lessonId: state.lessonId, changes, reason: command.reason }) as Extract<LessonEventDraft, { type: 'LessonEdited' }>['data'],
  };
}

function changeMatch(state: LessonState, command: ChangeLessonMatch): LessonEventDraft {
  const problems: LessonProblem[] = [];
  const added = checkedMatchLists(command.add ?? {}, 'match.add', problems);
  const removed = checkedMatchLists(command.remove ?? {}, 'match.remove', problems);
  optionalText(command.reason, 'reason', problems);
  for (const list of MATCH_LISTS) {
    for (const entry of added[list]) {
      if (state.match[list].includes(entry)) problems.push({ field: `match.add.${list}`, reason: `"${entry}" is already in ${list}` });
      if (removed[list].includes(entry)) problems.push({ field: `match.add.${list}`, reason: `"${entry}" is both added and removed` });
    }
    for (const entry of removed[list]) {
      if (!state.match[list].includes(entry)) problems.push({ field: `match.remove.${list}`, reason: `"${entry}" is not in ${list}` });
    }
  }
  if (problems.length === 0 && MATCH_LISTS.every((list) => added[list].length === 0 && removed[list].length === 0)) {
    problems.push({ field: 'match', reason: 'nothing to add or remove' });
  }
  rejectIfAny(problems);
  return {
    type: 'LessonMatchChanged',
    data: withoutUndefined({
      lessonId: state.lessonId,
      added,
      removed,
      decidedBy: command.decidedBy ?? ('human' as Decider),
      ruleSetId: command.ruleSetId,
      evidence: command.evidence,
      reason: command.reason,
    }),
  };
}

function changeStatus(state: LessonState, command: ChangeLessonStatus): LessonEventDraft {
  const problems: LessonProblem[] = [];
  const to = checkStatus(command.to, 'status', problems);
  requireText(command.reason, 'reason', problems);
  if (to !== undefined && to === state.status) problems.push({ field: 'status', reason: `lesson ${state.lessonId} is already ${to}` });
  rejectIfAny(problems);
  return {
    type: 'LessonStatusChanged',
    data: withoutUndefined({
      lessonId: state.lessonId,
      from: state.status,
      to: to!,
      reason: command.reason,
      decidedBy: command.decidedBy ?? ('human' as Decider),
      ruleSetId: command.ruleSetId,
      ruleSetVersion: command.ruleSetVersion,
      evidence: command.evidence,
    }),
  };
}

function mutate(parent: LessonState, command: MutateLesson): LessonEventDraft {
  const problems: LessonProblem[] = [];
  requireText(command.variantId, 'variantId', problems);
  if (command.variantId === parent.lessonId) problems.push({ field: 'variantId', reason: 'a variant must not be its own parent' });
  if (command.title !== undefined) requireText(command.title, 'title', problems);
  requireText(command.reason, 'reason', problems);
  const status = checkStatus(command.status ?? 'draft', 'status', problems);
  const match = command.match ? checkedMatchLists(command.match, 'match', problems) : parent.match;
  rejectIfAny(problems);
  return {
    type: 'LessonMutated',
    data: withoutUndefined({
      lessonId: command.variantId,
      parentLessonId: parent.lessonId,
      title: command.title ?? parent.title,
      body: command.body ?? parent.body,
      match: { ...emptyMatch(), ...match },
      reason: command.reason,
      category: parent.category,
      description: parent.description ?? undefined,
      status: status!,
    }),
  };
}

function move(state: LessonState, command: MoveLesson): LessonEventDraft {
  const problems: LessonProblem[] = [];
  requireText(command.toPath, 'toPath', problems);
  if (command.toPath === state.path) problems.push({ field: 'toPath', reason: `lesson ${state.lessonId} is already at ${state.path}` });
  if (state.path === null) problems.push({ field: null, reason: `lesson ${state.lessonId} has no file to move` });
  rejectIfAny(problems);
  return {
    type: 'LessonMoved',
    data: withoutUndefined({ lessonId: state.lessonId, fromPath: state.path!, toPath: command.toPath, reason: command.reason }),
  };
}

function remove(state: LessonState, command: DeleteLesson): LessonEventDraft {
  const problems: LessonProblem[] = [];
  requireText(command.reason, 'reason', problems);
  rejectIfAny(problems);
  // LessonDeleted names the file; a lesson made through the API has none, so its id stands in.
  return { type: 'LessonDeleted', data: { lessonId: state.lessonId, path: state.path ?? `lesson:${state.lessonId}`, reason: command.reason } };
}

function rejectIfAny(problems: LessonProblem[]): void {
  if (problems.length > 0) throw new LessonRejectedError(problems);
}

function requireText(value: unknown, field: string, problems: LessonProblem[]): void {
  if (typeof value !== 'string' || value.trim() === '') problems.push({ field, reason: 'must not be empty' });
}

function optionalText(value: unknown, field: string, problems: LessonProblem[]): void {
  if (value !== undefined) requireText(value, field, problems);
}

function checkStatus(value: string, field: string, problems: LessonProblem[]): LessonStatus | undefined {
  if ((LESSON_STATUSES as readonly string[]).includes(value)) return value as LessonStatus;
  problems.push({ field, reason: `unknown status "${value}" (known: ${LESSON_STATUSES.join(', ')})` });
  return undefined;
}

function checkTargetGrade(value: TargetGrade, field: string, problems: LessonProblem[]): void {
  const grades = Array.isArray(value) ? value : [value];
  if (grades.length === 0 || grades.some((g) => typeof g !== 'string' || g.trim() === '')) {
    problems.push({ field, reason: 'must be a grade name or a non-empty list of grade names' });
  }
}

/** Every entry must be non-empty; duplicates within a list are dropped (first kept). */
function checkedMatchLists(lists: MatchLists, prefix: string, problems: LessonProblem[]): LessonMatch {
  const out = emptyMatch();
  for (const list of MATCH_LISTS) {
    const entries = lists[list] ?? [];
    entries.forEach((entry, index) => {
      if (typeof entry !== 'string' || entry.trim() === '') {
        problems.push({ field: `${prefix}.${list}[${index}]`, reason: `an empty ${singular(list)} never matches anything` });
      } else if (!out[list].includes(entry)) {
        out[list].push(entry);
      }
    });
  }
  return out;
}

function singular(list: string): string {
  return list === 'sessionCategories' ? 'session category' : list.replace(/s$/, '');
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
