/**
 * `lessonloop import lessons <repo> --git`: replays the repository's history (replay-lesson-history.ts) and
 * appends, per lesson, the replayed events its stream does not hold yet. Re-running adds nothing; after new
 * commits only theirs are added. A lesson whose stream was started by something else (a directory import,
 * the API) under the same id is reported and left alone rather than given a second creation.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { EventStore, StreamAppend } from '../../event-store/event-store.port.js';
import { lessonStreamId } from '../domain/lesson-stream.js';
import { emptyLessonImportSummary, type LessonImportSummary } from '../import/lesson-import-summary.js';
import { toNewEvents } from '../store/lesson-events.js';
import { commitChanges, gitTopLevel, listCommits, readBlobs, type GitFileChange } from './git-repository.js';
import { replayLessonHistory, type CommitWithChanges, type ReplayedEvent } from './replay-lesson-history.js';

export interface ImportLessonHistoryOptions {
  /** A folder of the repository holding the lessons (paths are relative to it); default: the whole repository. */
  root?: string;
}

export async function importLessonHistory(store: EventStore, repoDir: string, options: ImportLessonHistoryOptions = {}): Promise<LessonImportSummary> {
  const repo = await gitTopLevel(repoDir);
  const root = normaliseRoot(repo, await realpath(path.resolve(repoDir, options.root ?? '.')));
  const commits = await listCommits(repo, root);
  const withChanges: CommitWithChanges[] = [];
  for (const commit of commits) withChanges.push({ commit, changes: await commitChanges(repo, commit, root) });
  const blobs = await readBlobs(repo, withChanges.flatMap(({ changes }) => changes.map((c: GitFileChange) => c.newBlob).filter((b): b is string => b !== null)));
  const replay = replayLessonHistory(withChanges, (blob) => blobs.get(blob) ?? '', {
    ...(root ? { root } : {}),
    rootCategory: path.basename(root || repo),
  });

  const summary = emptyLessonImportSummary();
  summary.commits = replay.commits;
  summary.files = replay.fileVersions;
  summary.rejected = replay.rejected;
  const fresh: ReplayedEvent[] = [];
  const nextRevision = new Map<string, bigint | 'no_stream'>();
  for (const [lessonId, events] of replay.byLesson) {
    const stored = await store.readStream(lessonStreamId(lessonId));
    const storedIds = new Set(stored.map((e) => e.eventId));
    const missing = events.filter((e) => !storedIds.has(e.eventId));
    summary.unchanged += events.length - missing.length;
    if (missing.length === 0) continue;
    if (stored.length > 0 && !storedIds.has(events[0]!.eventId)) {
      summary.skippedLessons.push({
        path: events[events.length - 1]!.path,
        reason: `lesson ${lessonId} was started by ${stored[0]!.metadata.source}, not by this repository's history; its commits were not replayed`,
      });
      continue;
    }
    fresh.push(...missing);
    nextRevision.set(lessonId, stored.length > 0 ? stored[stored.length - 1]!.streamRevision : 'no_stream');
  }
  // One atomic write, in commit order across lessons (consecutive events of one lesson share an append).
  fresh.sort((a, b) => a.sequence - b.sequence);
  const appends: StreamAppend[] = [];
  for (const event of fresh) {
    countChange(summary, event);
    const newEvent = toNewEvents([event.draft], event.metadata, () => event.eventId)[0]!;
    const last = appends[appends.length - 1];
    if (last && last.streamId === lessonStreamId(event.lessonId)) {
      last.events.push(newEvent);
    } else {
      appends.push({ streamId: lessonStreamId(event.lessonId), events: [newEvent], expectedRevision: nextRevision.get(event.lessonId)! });
    }
    const revision = nextRevision.get(event.lessonId)!;
    nextRevision.set(event.lessonId, revision === 'no_stream' ? 0n : revision + 1n);
  }
  if (appends.length > 0) {
    const results = await store.appendMany(appends);
    summary.eventsAppended = results.reduce((sum, r) => sum + r.appended, 0);
  }
  return summary;
}

function countChange(summary: LessonImportSummary, event: ReplayedEvent): void {
  if (event.change === 'created') summary.created.push(event.path);
  else if (event.change === 'deleted') summary.deleted.push(event.path);
  else if (event.change === 'moved') summary.moved.push({ from: event.fromPath!, to: event.path });
  else if (!summary.changed.includes(event.path)) summary.changed.push(event.path);
}

/** The lessons folder relative to the repository's top, `/`-separated ('' for the whole repository). */
function normaliseRoot(repo: string, absolute: string): string {
  const relative = path.relative(repo, absolute).split(path.sep).join('/');
  if (relative.startsWith('..')) throw new Error(`${absolute} is outside the repository ${repo}`);
  return relative === '' ? '' : relative;
}
