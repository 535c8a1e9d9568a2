/**
 * The lesson events a repository's history stands for, computed from its commits alone (pure): every
 * commit that touched a lesson file gives the events of what it changed, with the commit time as
 * occurredAt, the author as actor, `git:<sha>` as source and the subject as reason. Ids are derived from
 * (commit, lesson, position), so replaying the same history always gives the same events.
 *
 * Within a commit, deletions and renames are applied before edits and additions, so a file renamed away and
 * a new file at the old path are two lessons. A renamed file keeps its lesson id. A file version whose
 * frontmatter is malformed is reported and skipped (the lesson keeps its previous state).
 */
import { deterministicEventId } from '../../../contracts/event-id.js';
import type { EventMetadata } from '../../../contracts/envelope.js';
import { decideLessonChanges } from '../domain/decide-lesson.js';
import { evolveLesson } from '../domain/evolve-lesson.js';
import type { LessonCommand } from '../domain/lesson-commands.js';
import { LessonRejectedError } from '../domain/lesson-errors.js';
import { lessonIdForPath } from '../domain/lesson-ids.js';
import type { LessonState } from '../domain/lesson-state.js';
import type { LessonEventDraft } from '../domain/lesson-stream.js';
import { isLessonFilePath, type RejectedLessonFile } from '../gptme/lesson-file.js';
import { clampText, LIMITS } from '../../../contracts/limits.js';
import { parseLessonFile } from '../gptme/parse-lesson-file.js';
import { changeCommandsFor, createCommandFor } from '../import/lesson-file-commands.js';
import type { GitCommit, GitFileChange } from './git-repository.js';

export interface CommitWithChanges {
  commit: GitCommit;
  changes: GitFileChange[];
}

export type ReplayedChange = 'created' | 'changed' | 'moved' | 'deleted';

export interface ReplayedEvent {
  /** Position in the whole replay (commit order, then order within the commit). */
  sequence: number;
  lessonId: string;
  eventId: string;
  draft: LessonEventDraft;
  metadata: EventMetadata;
  /** The lesson's path after the commit (before, for a deletion), for reports. */
  path: string;
  change: ReplayedChange;
  fromPath?: string;
}

export interface LessonHistoryReplay {
  /** Every lesson's events in commit order. */
  byLesson: Map<string, ReplayedEvent[]>;
  rejected: RejectedLessonFile[];
  commits: number;
  fileVersions: number;
}

export interface ReplayOptions {
  /** Only files under this folder of the repository are lessons; paths are relative to it. */
  root?: string;
  /** Category of files directly in the root. */
  rootCategory?: string;
}

export const GIT_SOURCE_PREFIX = 'git:';

export function replayLessonHistory(
  commits: readonly CommitWithChanges[],
  blobText: (blob: string) => string,
  options: ReplayOptions = {},
): LessonHistoryReplay {
  const root = (options.root ?? '').replace(/^\/+|\/+$/g, '');
  const relative = (repoPath: string | null): string | null => {
    if (repoPath === null) return null;
    const inside = root === '' ? repoPath : repoPath.startsWith(`${root}/`) ? repoPath.slice(root.length + 1) : null;
    return inside !== null && isLessonFilePath(inside) ? inside : null;
  };
  const lessonAt = new Map<string, string>();
  const states = new Map<string, LessonState>();
  const usedIds = new Set<string>();
  const replay: LessonHistoryReplay = { byLesson: new Map(), rejected: [], commits: 0, fileVersions: 0 };
  let sequence = 0;

  for (const { commit, changes } of commits) {
    const steps = changes
      .map((change) => ({ change, from: relative(change.oldPath), to: relative(change.newPath) }))
      .filter((step) => step.from !== null || step.to !== null)
      .sort((a, b) => stepOrder(a.change) - stepOrder(b.change));
    if (steps.length === 0) continue;
    replay.commits++;
    // A commit's subject and author are history, not input to refuse: cut to the limits the events hold them to.
    const reason = clampText(commit.subject.trim(), LIMITS.text, false) || `commit ${commit.sha.slice(0, 12)}`;
    const metadata: EventMetadata = {
      occurredAt: new Date(commit.committedAt).toISOString(),
      source: `${GIT_SOURCE_PREFIX}${commit.sha}`,
      actor: clampText(`${commit.authorName} <${commit.authorEmail}>`, LIMITS.identifier, true),
    };
    const perLesson = new Map<string, number>();
    const record = (lessonId: string, commands: LessonCommand[], path: string, change: ReplayedChange, fromPath?: string): boolean => {
      let drafts: LessonEventDraft[];
      try {
        drafts = decideLessonChanges(states.get(lessonId) ?? null, commands, lessonId);
      } catch (error) {
        if (!(error instanceof LessonRejectedError)) throw error;
        replay.rejected.push({ path, commit: commit.sha, reason: error.message });
        return false;
      }
      const events = replay.byLesson.get(lessonId) ?? [];
      for (const draft of drafts) {
        const index = perLesson.get(lessonId) ?? 0;
        perLesson.set(lessonId, index + 1);
        const eventId = deterministicEventId('lesson-git-replay', commit.sha, lessonId, index);
        events.push({ sequence: sequence++, lessonId, eventId, draft, metadata, path, change, ...(fromPath ? { fromPath } : {}) });
        const state = evolveLesson(states.get(lessonId) ?? null, { ...draft, metadata });
        if (state) states.set(lessonId, state);
      }
      replay.byLesson.set(lessonId, events);
      return true;
    };
    const parse = (path: string, blob: string | null) => {
      replay.fileVersions++;
      const result = parseLessonFile(path, blobText(blob!), options.rootCategory ? { rootCategory: options.rootCategory } : {});
      if (!result.ok) replay.rejected.push({ path, ...(result.line ? { line: result.line } : {}), commit: commit.sha, reason: result.reason });
      return result.ok ? result.lesson : null;
    };
    const create = (path: string, blob: string | null) => {
      const file = parse(path, blob);
      if (!file) return;
      let generation = 0;
      while (usedIds.has(lessonIdForPath(path, generation))) generation++;
      const lessonId = lessonIdForPath(path, generation);
      if (record(lessonId, [createCommandFor(lessonId, file, reason)], path, 'created')) {
        usedIds.add(lessonId);
        lessonAt.set(path, lessonId);
      }
    };
    const update = (lessonId: string, path: string, blob: string | null) => {
      const file = parse(path, blob);
      if (!file) return;
      const commands = changeCommandsFor(states.get(lessonId)!, file, reason);
      if (commands.length > 0) record(lessonId, commands, path, 'changed');
    };
    const remove = (lessonId: string, path: string) => {
      lessonAt.delete(path);
      record(lessonId, [{ kind: 'delete', reason }], path, 'deleted');
    };

    for (const { change, from, to } of steps) {
      const tracked = from !== null ? lessonAt.get(from) : undefined;
      if (change.status === 'D') {
        if (tracked) remove(tracked, from!);
      } else if (change.status === 'R') {
        if (tracked && to !== null) {
          lessonAt.delete(from!);
          lessonAt.set(to, tracked);
          record(tracked, [{ kind: 'move', toPath: to, reason }], to, 'moved', from!);
          update(tracked, to, change.newBlob);
        } else if (tracked) {
          remove(tracked, from!);
        } else if (to !== null) {
          create(to, change.newBlob);
        }
      } else if (to !== null) {
        // A, C, M, T: an edit of the lesson at that path, or a new lesson.
        const existing = lessonAt.get(to);
        if (existing) update(existing, to, change.newBlob);
        else create(to, change.newBlob);
      }
    }
  }
  return replay;
}

/** Deletions and renames first (they free paths), then edits, then additions. */
function stepOrder(change: GitFileChange): number {
  return change.status === 'D' || change.status === 'R' ? 0 : change.status === 'M' || change.status === 'T' ? 1 : 2;
}
