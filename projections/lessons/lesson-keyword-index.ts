/**
 * `lesson-keyword-index`: which lessons hold each match term now. One document per term, keyed
 * `keyword:<keyword in lower case>` (gptme matches keywords case-insensitively), `pattern:<regex>`,
 * `tool:<name>` and `session-category:<name>`, listing the lessons and how each spells the term. Terms
 * follow LessonCreated, LessonMutated and LessonMatchChanged; a deleted or archived lesson keeps its terms
 * here (join the catalogue for the lesson's status).
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { LessonMatch } from '../../contracts/lesson.js';
import { defineDocumentProjection } from '../machinery/projection.js';

export const LESSON_KEYWORD_INDEX_TABLE = 'lesson_keyword_index';

export const TERM_KINDS = { keywords: 'keyword', patterns: 'pattern', tools: 'tool', sessionCategories: 'session-category' } as const;
export type TermKind = (typeof TERM_KINDS)[keyof typeof TERM_KINDS];

export interface LessonTermDoc {
  kind: TermKind;
  /** Keywords in lower case; other kinds as written. */
  term: string;
  /** lessonId -> the spellings that lesson uses for this term. */
  lessons: Record<string, string[]>;
}

export function termKey(kind: TermKind, entry: string): string {
  return `${kind}:${kind === 'keyword' ? entry.trim().toLowerCase() : entry}`;
}

interface TermChange {
  key: string;
  kind: TermKind;
  term: string;
  spelling: string;
  add: boolean;
}

function termsOf(match: Partial<LessonMatch> | undefined, add: boolean): TermChange[] {
  const out: TermChange[] = [];
  for (const [list, kind] of Object.entries(TERM_KINDS) as [keyof LessonMatch, TermKind][]) {
    for (const entry of match?.[list] ?? []) {
      const key = termKey(kind, entry);
      out.push({ key, kind, term: key.slice(kind.length + 1), spelling: entry, add });
    }
  }
  return out;
}

function termChanges(event: RecordedEvent): TermChange[] {
  const data = event.data as { match?: LessonMatch; added?: LessonMatch; removed?: LessonMatch };
  if (event.type === 'LessonCreated' || event.type === 'LessonMutated') return termsOf(data.match, true);
  if (event.type === 'LessonMatchChanged') return [...termsOf(data.removed, false), ...termsOf(data.added, true)];
  return [];
}

export const lessonKeywordIndex = defineDocumentProjection<LessonTermDoc, Record<string, never>>({
  name: 'lesson-keyword-index',
  version: 1,
  description: 'Match terms (keywords, patterns, tools, session categories) to the lessons holding them',
  oneSegmentBecause:
    'one lesson edit moves the lesson between term documents (old and new terms): one event changes several keys',
  eventTypes: ['LessonCreated', 'LessonMutated', 'LessonMatchChanged'],
  defaultRules: {},
  documentTable: LESSON_KEYWORD_INDEX_TABLE,
  documentKeys: (event) => [...new Set(termChanges(event).map((c) => c.key))],
  initialDocument: (key) => {
    const kind = key.slice(0, key.indexOf(':')) as TermKind;
    return { kind, term: key.slice(kind.length + 1), lessons: {} };
  },
  evolve: (doc, event, _rules, key) => {
    const lessonId = (event.data as { lessonId: string }).lessonId;
    const lessons = { ...doc.lessons };
    for (const change of termChanges(event)) {
      if (change.key !== key) continue;
      const spellings = (lessons[lessonId] ?? []).filter((s) => s !== change.spelling);
      if (change.add) spellings.push(change.spelling);
      if (spellings.length > 0) lessons[lessonId] = spellings;
      else delete lessons[lessonId];
    }
    if (Object.keys(lessons).length === 0) return null;
    return { kind: doc.kind, term: doc.term, lessons: Object.fromEntries(Object.entries(lessons).sort(([a], [b]) => (a < b ? -1 : 1))) };
  },
});
