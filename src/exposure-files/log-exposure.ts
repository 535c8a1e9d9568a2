/**
 * Exposure read from a gptme conversation. Injected: every lesson a `# Relevant Lessons` batch names. Withheld:
 * the lessons that match the text before the first batch (the only text no lesson can have caused) but were
 * never injected. They are never randomized, so never `coin`: `cap` when the first batch was full (gptme keeps
 * the best-scoring lessons up to its limit), `run-holdout` for every one in a run known to have run without
 * some or all lessons (no_lessons, GPTME_LESSONS_HOLDOUT), else `unknown`. Pure.
 */
import type { InjectedLesson, WithheldLesson, WithheldBy } from '../../contracts/exposure.js';
import { lessonInjections, mapLessonPath, messagesBeforeInjection, type GptmeMessage } from '../gptme-logs/index.js';
import { isSelectable } from '../bandit/selectable-lessons.js';
import { matchLessons, type MatchableLesson } from '../lessons/domain/lesson-matcher.js';

/** gptme's default of GPTME_LESSONS_MAX_INCLUDED. */
export const GPTME_DEFAULT_LESSON_CAP = 5;

export interface KnownLesson extends MatchableLesson {
  path: string | null;
  status: string;
  deleted: boolean;
}

export interface LessonsByPath {
  lessons: readonly KnownLesson[];
  byPath: ReadonlyMap<string, KnownLesson>;
}

export function lessonsByPath(lessons: readonly KnownLesson[]): LessonsByPath {
  return { lessons, byPath: new Map(lessons.flatMap((l) => (l.path === null ? [] : [[l.path, l] as const]))) };
}

/** A lesson reference for a path written in a log or manifest: the lesson's id when one has it (the path rule). */
export function referenceFor(foreignPath: string, known: LessonsByPath): { lessonId: string } | { path: string } | null {
  const mapped = mapLessonPath(foreignPath, (p) => known.byPath.has(p));
  if (mapped === null) return null;
  return mapped.known ? { lessonId: known.byPath.get(mapped.path)!.lessonId } : { path: mapped.path };
}

/** Tools gptme would see used: the first word of each assistant code block's language (not text/markdown). */
function toolsUsed(messages: readonly GptmeMessage[]): string[] {
  const tools = new Set<string>();
  for (const m of messages) {
    if (m.role !== 'assistant') continue;
    for (const match of m.content.matchAll(/^```([^\s`]+)/gm)) if (!['text', 'markdown'].includes(match[1]!)) tools.add(match[1]!);
  }
  return [...tools];
}

export interface LogExposure {
  injected: InjectedLesson[];
  withheld: WithheldLesson[];
}

export function exposureFromConversation(
  messages: readonly GptmeMessage[],
  known: LessonsByPath,
  options: { cap?: number; runHoldout?: boolean } = {},
): LogExposure {
  const batches = lessonInjections(messages);
  const injected: InjectedLesson[] = [];
  const named = new Set<string>();
  for (const path of batches.flatMap((b) => b.paths)) {
    const ref = referenceFor(path, known);
    if (ref === null) continue;
    const key = 'lessonId' in ref ? `id:${ref.lessonId}` : `path:${ref.path}`;
    if (named.has(key)) continue;
    named.add(key);
    injected.push(ref);
  }
  const before = messagesBeforeInjection(messages);
  const text = before.filter((m) => m.role === 'user' || m.role === 'assistant').map((m) => m.content).join(' ');
  const candidates = matchLessons(known.lessons.filter(isSelectable), { text, toolsUsed: toolsUsed(before) });
  const full = batches.length > 0 && batches[0]!.paths.length >= (options.cap ?? GPTME_DEFAULT_LESSON_CAP);
  const withheldBy: WithheldBy = options.runHoldout ? 'run-holdout' : full ? 'cap' : 'unknown';
  const withheld: WithheldLesson[] = candidates
    .filter((c) => !named.has(`id:${c.lesson.lessonId}`))
    .map((c) => ({ lessonId: c.lesson.lessonId, withheldBy }));
  return { injected, withheld };
}
