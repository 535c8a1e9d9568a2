import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ListLessonsParams } from '../http/lesson-request.schemas.js';
import { LessonsReadModel } from '../read-model/lessons.read-model.js';
import { toLessonView, type LessonView } from './lesson-view.js';

/** GET /lessons: the catalogue, or the lessons as they were at `asOf`. */
export class ListLessonsQuery extends Query<{ items: LessonView[]; asOf: string | null }> {
  constructor(readonly params: ListLessonsParams) {
    super();
  }
}

@QueryHandler(ListLessonsQuery)
export class ListLessonsHandler implements IQueryHandler<ListLessonsQuery> {
  constructor(private readonly readModel: LessonsReadModel) {}

  async execute({ params }: ListLessonsQuery) {
    const filter = {
      ...(params.status ? { statuses: params.status } : {}),
      ...(params.category ? { category: params.category } : {}),
      ...(params.keyword ? { keyword: params.keyword } : {}),
      includeDeleted: params.includeDeleted ?? false,
    };
    const lessons = params.asOf ? await this.readModel.lessonsAsOf(new Date(params.asOf), filter) : await this.readModel.listLessons(filter);
    return { items: lessons.map(toLessonView), asOf: params.asOf ?? null };
  }
}
