import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { LessonTimelineEntry } from '../../../projections/lessons/lesson-timeline.js';
import { LessonsReadModel } from '../read-model/lessons.read-model.js';

export type LessonTimelineEntryView = Omit<LessonTimelineEntry, 'data'>;

export interface LessonTimelineView {
  lessonId: string;
  entries: LessonTimelineEntryView[];
}

/** GET /lessons/:id/timeline: every change, oldest first. Null when the lesson is not (yet) in the read model. */
export class GetLessonTimelineQuery extends Query<LessonTimelineView | null> {
  constructor(readonly lessonId: string) {
    super();
  }
}

@QueryHandler(GetLessonTimelineQuery)
export class GetLessonTimelineHandler implements IQueryHandler<GetLessonTimelineQuery> {
  constructor(private readonly readModel: LessonsReadModel) {}

  async execute({ lessonId }: GetLessonTimelineQuery): Promise<LessonTimelineView | null> {
    const doc = await this.readModel.timeline(lessonId);
    if (!doc) return null;
    return { lessonId: doc.lessonId, entries: doc.entries.map(({ data: _data, ...entry }) => entry) };
  }
}
