import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { matchLessons } from '../domain/lesson-matcher.js';
import type { MatchLessonsBody } from '../http/lesson-request.schemas.js';
import { LessonsReadModel } from '../read-model/lessons.read-model.js';

export interface LessonMatchView {
  lessonId: string;
  title: string;
  category: string;
  path: string | null;
  revision: number;
  score: number;
  matchedBy: string[];
}

/** POST /lessons/match: the active lessons that match a text (and the tools used), best first. */
export class MatchLessonsQuery extends Query<{ matches: LessonMatchView[]; activeLessons: number }> {
  constructor(readonly body: MatchLessonsBody) {
    super();
  }
}

@QueryHandler(MatchLessonsQuery)
export class MatchLessonsHandler implements IQueryHandler<MatchLessonsQuery> {
  constructor(private readonly readModel: LessonsReadModel) {}

  async execute({ body }: MatchLessonsQuery) {
    const active = await this.readModel.activeLessons();
    const results = matchLessons(active, { text: body.text, toolsUsed: body.tools ?? [] }, body.threshold ?? 0);
    return {
      matches: results.slice(0, body.limit ?? results.length).map(({ lesson, score, matchedBy }) => ({
        lessonId: lesson.lessonId,
        title: lesson.title,
        category: lesson.category,
        path: lesson.path,
        revision: lesson.revision,
        score,
        matchedBy,
      })),
      activeLessons: active.length,
    };
  }
}
