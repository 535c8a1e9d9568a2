import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { page } from '../../common/list-params.js';
import { sortRows } from '../../common/sort-rows.js';
import type { LessonState } from '../domain/lesson-state.js';
import { LessonsReadModel } from '../read-model/lessons.read-model.js';
import { toLessonView, type LessonView } from './lesson-view.js';
import type { LessonSortKey, ListLessonsPageParams } from './list-lessons-params.js';

export interface LessonsPage {
  items: LessonView[];
  total: number;
  offset: number;
  limit: number | null;
  asOf: string | null;
}

/** GET /lessons: the catalogue, or the lessons as they were at `asOf`; filtered, sorted over the whole list, then paged. */
export class ListLessonsQuery extends Query<LessonsPage> {
  constructor(readonly params: ListLessonsPageParams) {
    super();
  }
}

/** Times compare as instants (event times may carry offsets); every other key as stored. Missing: last. */
const SORT_VALUE: Record<LessonSortKey, (lesson: LessonState) => string | number | null | undefined> = {
  path: (l) => l.path,
  lessonId: (l) => l.lessonId,
  title: (l) => l.title,
  category: (l) => l.category,
  status: (l) => l.status,
  revision: (l) => l.revision,
  createdAt: (l) => Date.parse(l.createdAt),
  updatedAt: (l) => Date.parse(l.updatedAt),
};

function matchesText(lesson: LessonState, q: string): boolean {
  const text = q.toLowerCase();
  return [lesson.lessonId, lesson.title, lesson.description, lesson.path].some((field) => field?.toLowerCase().includes(text));
}

@QueryHandler(ListLessonsQuery)
export class ListLessonsHandler implements IQueryHandler<ListLessonsQuery> {
  constructor(private readonly readModel: LessonsReadModel) {}

  async execute({ params }: ListLessonsQuery): Promise<LessonsPage> {
    const filter = {
      ...(params.status ? { statuses: params.status } : {}),
      ...(params.category ? { category: params.category } : {}),
      ...(params.keyword ? { keyword: params.keyword } : {}),
      includeDeleted: params.includeDeleted ?? false,
    };
    // Both come ordered by path (lessons without a file last): the tie order of every other sort.
    const lessons = params.asOf ? await this.readModel.lessonsAsOf(new Date(params.asOf), filter) : await this.readModel.listLessons(filter);
    const found = params.q === undefined ? lessons : lessons.filter((lesson) => matchesText(lesson, params.q!));
    const sorted = sortRows(found, SORT_VALUE[params.sort], params.order);
    const shown = page(sorted, params.limit, params.offset);
    return { ...shown, items: shown.items.map(toLessonView), asOf: params.asOf ?? null };
  }
}
