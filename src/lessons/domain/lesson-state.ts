/** A lesson's current state, folded from its stream (see evolve-lesson.ts). Plain JSON: read models store it as is. */
import type { LessonMatch, LessonStatus, TargetGrade } from '../../../contracts/lesson.js';
import type { jsonObject } from '../../../contracts/primitives.js';
import type { z } from 'zod';

export type JsonObject = z.output<typeof jsonObject>;

export interface LessonState {
  lessonId: string;
  /** Stream revision of the last event folded in (0 after the first event): the value for `If-Match`. */
  revision: number;
  /** Path relative to the lessons root; null for lessons created through the API. */
  path: string | null;
  title: string;
  description: string | null;
  category: string;
  /** The markdown after the frontmatter, title heading included. */
  body: string;
  match: LessonMatch;
  status: LessonStatus;
  targetGrade: TargetGrade | null;
  confoundNote: string | null;
  /** Frontmatter fields the catalogue does not model (tags, automation, ...), kept verbatim. */
  extraFrontmatter: JsonObject | null;
  /** Set for a variant made by mutating another lesson. */
  parentLessonId: string | null;
  deleted: boolean;
  /** occurredAt of the first and the last event. */
  createdAt: string;
  updatedAt: string;
}

export const MATCH_LISTS = ['keywords', 'patterns', 'tools', 'sessionCategories'] as const;
export type MatchList = (typeof MATCH_LISTS)[number];

export function emptyMatch(): LessonMatch {
  return { keywords: [], patterns: [], tools: [], sessionCategories: [] };
}

/** The lesson's own fields that edits and file imports compare (everything but match, status, path, bookkeeping). */
export const EDITABLE_FIELDS = ['title', 'description', 'body', 'category', 'targetGrade', 'confoundNote', 'extraFrontmatter'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** Structural equality for JSON values (key order of objects ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === undefined) return null;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}
