/** The lessons a selection may draw from: not deleted, status draft, active or automated. */
import type { LessonStatus } from '../../contracts/lesson.js';

const SELECTABLE: ReadonlySet<string> = new Set<LessonStatus>(['draft', 'active', 'automated']);

export const isSelectable = (lesson: { status: string; deleted: boolean }) => !lesson.deleted && SELECTABLE.has(lesson.status);
