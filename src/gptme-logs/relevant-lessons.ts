/**
 * The lessons gptme injected into a conversation (facts from gptme/tools/lessons.py): each batch is one system
 * message, hidden, whose content holds `# Relevant Lessons`; under it every lesson has a line of its own,
 * exactly `*Path: <path>*`. gptme itself takes a message as a batch when it is a system message containing
 * that heading, and a line as a lesson when it starts with `*Path: ` and ends with `*`; so does this.
 * Pure.
 */
import type { GptmeMessage } from './conversation-jsonl.js';

export const RELEVANT_LESSONS_HEADING = '# Relevant Lessons';

export interface LessonInjection {
  /** Index of the injecting message in the conversation. */
  messageIndex: number;
  /** The lesson paths as written, in the batch's order. */
  paths: string[];
}

export function isLessonInjection(message: GptmeMessage): boolean {
  return message.role === 'system' && message.content.includes(RELEVANT_LESSONS_HEADING);
}

/** The `*Path: ...*` values of one message, in order. */
export function lessonPathsIn(content: string): string[] {
  const paths: string[] = [];
  for (const line of content.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (l.startsWith('*Path: ') && l.endsWith('*') && l.length > '*Path: *'.length) paths.push(l.slice('*Path: '.length, -1));
  }
  return paths;
}

/** Every injection batch, in conversation order. */
export function lessonInjections(messages: readonly GptmeMessage[]): LessonInjection[] {
  return messages.filter(isLessonInjection).map((m) => ({ messageIndex: m.index, paths: lessonPathsIn(m.content) }));
}

/**
 * The messages before the first injection (all of them when nothing was injected): the only text a lesson
 * cannot have caused, so the only text matched to find lessons that were candidates but not injected.
 */
export function messagesBeforeInjection(messages: readonly GptmeMessage[]): GptmeMessage[] {
  const first = messages.findIndex(isLessonInjection);
  return first === -1 ? [...messages] : messages.slice(0, first);
}
