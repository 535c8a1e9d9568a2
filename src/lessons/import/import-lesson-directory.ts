/**
 * `lessonloop import lessons <dir>`: compares the lesson files with the lessons' current state (their
 * streams) and appends only the differences, all in one atomic write:
 * - a file seen for the first time: LessonCreated (id from its path, see domain/lesson-ids.ts);
 * - a file whose lesson exists: LessonEdited / LessonMatchChanged / LessonStatusChanged for what changed;
 * - a new path whose content equals a lesson whose file is gone: LessonMoved (the id is kept);
 * - a lesson whose file is gone: reported, and deleted (LessonDeleted) only with `prune`.
 * Lessons are found by their files' path ids and by `knownLessonIds` (the CLI passes the catalogue's): a
 * lesson whose file moved or vanished is only seen through the latter.
 * Event ids come from the lesson, the revision the change was decided on and the change itself, so a re-run
 * (or two imports racing) writes nothing twice. Malformed files are reported and skipped.
 */
import path from 'node:path';
import { deterministicEventId } from '../../../contracts/event-id.js';
import type { EventMetadata } from '../../../contracts/envelope.js';
import type { EventStore, StreamAppend } from '../../event-store/event-store.port.js';
import { decideLessonChanges } from '../domain/decide-lesson.js';
import type { LessonCommand } from '../domain/lesson-commands.js';
import { lessonIdForPath } from '../domain/lesson-ids.js';
import type { LessonState } from '../domain/lesson-state.js';
import { lessonStreamId, type LessonEventDraft } from '../domain/lesson-stream.js';
import type { ParsedLessonFile } from '../gptme/lesson-file.js';
import { parseLessonFile } from '../gptme/parse-lesson-file.js';
import { draftDigest, loadLesson, toNewEvents, type LoadedLesson } from '../store/lesson-events.js';
import { changeCommandsFor, createCommandFor, sameContentElsewhere } from './lesson-file-commands.js';
import { emptyLessonImportSummary, type LessonImportSummary } from './lesson-import-summary.js';
import { readLessonDirectory, type LessonFileOnDisk } from './read-lesson-directory.js';

export interface ImportLessonDirectoryOptions {
  /** Lesson ids known elsewhere (the catalogue), so lessons that moved since their id was taken are found. */
  knownLessonIds?: readonly string[];
  /** Delete (LessonDeleted) the lessons whose file is gone. Only for a folder holding every lesson. */
  prune?: boolean;
  actor?: string;
  /** metadata.source; default `lesson-files`. */
  source?: string;
  /** For deletions, which have no file time. */
  now?: () => Date;
}

export const LESSON_FILES_SOURCE = 'lesson-files';

interface PlannedChange {
  lessonId: string;
  base: LoadedLesson | null;
  commands: LessonCommand[];
  occurredAt: Date;
}

export async function importLessonDirectory(
  store: EventStore,
  dir: string,
  options: ImportLessonDirectoryOptions = {},
): Promise<LessonImportSummary> {
  const summary = emptyLessonImportSummary();
  const files = await readLessonDirectory(dir);
  summary.files = files.length;
  const parsed = new Map<string, { file: LessonFileOnDisk; lesson: ParsedLessonFile }>();
  for (const file of files) {
    const result = parseLessonFile(file.path, file.text, { rootCategory: path.basename(path.resolve(dir)) });
    if (result.ok) parsed.set(file.path, { file, lesson: result.lesson });
    else summary.rejected.push({ path: result.path, ...(result.line ? { line: result.line } : {}), reason: result.reason });
  }

  const lessons = await loadCandidates(store, [...parsed.keys()], options.knownLessonIds ?? []);
  const byPath = new Map<string, LoadedLesson>();
  for (const loaded of lessons.values()) {
    if (loaded.state && !loaded.state.deleted && loaded.state.path !== null) byPath.set(loaded.state.path, loaded);
  }
  const presentPaths = new Set(files.map((f) => f.path));
  const gone = [...byPath.entries()].filter(([p]) => !presentPaths.has(p)).map(([, loaded]) => loaded);
  const claimed = new Set<string>();
  const plans: PlannedChange[] = [];

  for (const { file, lesson } of parsed.values()) {
    const existing = byPath.get(lesson.path);
    if (existing?.state) {
      const commands = changeCommandsFor(existing.state, lesson, `changed in ${lesson.path}`);
      if (commands.length === 0) summary.unchanged++;
      else {
        plans.push({ lessonId: existing.state.lessonId, base: existing, commands, occurredAt: file.modifiedAt });
        summary.changed.push(lesson.path);
      }
      continue;
    }
    const movedFrom = gone.filter((loaded) => !claimed.has(loaded.state!.lessonId) && sameContentElsewhere(loaded.state!, lesson));
    if (movedFrom.length === 1) {
      const state = movedFrom[0]!.state!;
      claimed.add(state.lessonId);
      const reason = `${state.path} moved to ${lesson.path}`;
      plans.push({
        lessonId: state.lessonId,
        base: movedFrom[0]!,
        // A move to another folder changes the category that follows the folder.
        commands: [{ kind: 'move', toPath: lesson.path, reason }, ...changeCommandsFor(state, lesson, reason)],
        occurredAt: file.modifiedAt,
      });
      summary.moved.push({ from: state.path!, to: lesson.path });
      continue;
    }
    const lessonId = freeIdFor(lesson.path, lessons, plans);
    plans.push({ lessonId, base: null, commands: [createCommandFor(lessonId, lesson, `imported from ${lesson.path}`)], occurredAt: file.modifiedAt });
    summary.created.push(lesson.path);
  }

  for (const loaded of gone) {
    const state = loaded.state!;
    if (claimed.has(state.lessonId)) continue;
    if (!options.prune) {
      summary.missing.push(state.path!);
      continue;
    }
    const now = options.now?.() ?? new Date();
    plans.push({ lessonId: state.lessonId, base: loaded, commands: [{ kind: 'delete', reason: `${state.path} is gone from the lessons folder` }], occurredAt: now });
    summary.deleted.push(state.path!);
  }

  const appends = plans.map((plan) => toAppend(plan, options));
  if (appends.length > 0) {
    const results = await store.appendMany(appends);
    summary.eventsAppended = results.reduce((sum, r) => sum + r.appended, 0);
  }
  return summary;
}

/**
 * The streams that may hold a lesson for these files: each path's ids, generation after generation, until
 * one has no stream (that is where a new lesson for the path would go), and the known ids.
 */
async function loadCandidates(store: EventStore, paths: readonly string[], known: readonly string[]): Promise<Map<string, LoadedLesson>> {
  const loaded = new Map<string, LoadedLesson>();
  for (const lessonId of known) loaded.set(lessonId, await loadLesson(store, lessonId));
  for (const filePath of paths) {
    for (let generation = 0; ; generation++) {
      const lessonId = lessonIdForPath(filePath, generation);
      const lesson = loaded.get(lessonId) ?? (await loadLesson(store, lessonId));
      loaded.set(lessonId, lesson);
      if (!lesson.state) break;
    }
  }
  return loaded;
}

function freeIdFor(filePath: string, loaded: Map<string, LoadedLesson>, plans: readonly PlannedChange[]): string {
  for (let generation = 0; ; generation++) {
    const lessonId = lessonIdForPath(filePath, generation);
    if (!loaded.get(lessonId)?.state && !plans.some((p) => p.lessonId === lessonId)) return lessonId;
  }
}

function toAppend(plan: PlannedChange, options: ImportLessonDirectoryOptions): StreamAppend {
  const state: LessonState | null = plan.base?.state ?? null;
  const drafts = decideLessonChanges(state, plan.commands, plan.lessonId);
  const baseRevision = state ? state.revision : -1;
  const metadata: EventMetadata = {
    occurredAt: plan.occurredAt.toISOString(),
    source: options.source ?? LESSON_FILES_SOURCE,
    ...(options.actor ? { actor: options.actor } : {}),
  };
  const eventId = (draft: LessonEventDraft, index: number) =>
    deterministicEventId('lesson-file-import', plan.lessonId, baseRevision, index, draftDigest(draft));
  return {
    streamId: lessonStreamId(plan.lessonId),
    events: toNewEvents(drafts, metadata, eventId),
    expectedRevision: plan.base?.expectedRevision ?? 'no_stream',
  };
}
