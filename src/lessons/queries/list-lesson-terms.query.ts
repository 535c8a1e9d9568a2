import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { TermKind } from '../../../projections/lesson-keyword-index.js';
import { LessonsReadModel } from '../read-model/lessons.read-model.js';

export interface LessonTermView {
  kind: TermKind;
  term: string;
  lessonIds: string[];
  /** How each lesson spells the term (keywords differ in case). */
  spellings: Record<string, string[]>;
}

/** GET /lessons/keywords: the keyword index (keywords, patterns, tools, session categories -> lessons). */
export class ListLessonTermsQuery extends Query<{ items: LessonTermView[] }> {
  constructor(
    readonly kind?: TermKind,
    readonly contains?: string,
  ) {
    super();
  }
}

@QueryHandler(ListLessonTermsQuery)
export class ListLessonTermsHandler implements IQueryHandler<ListLessonTermsQuery> {
  constructor(private readonly readModel: LessonsReadModel) {}

  async execute({ kind, contains }: ListLessonTermsQuery) {
    const terms = await this.readModel.terms(kind, contains);
    return { items: terms.map((doc) => ({ kind: doc.kind, term: doc.term, lessonIds: Object.keys(doc.lessons), spellings: doc.lessons })) };
  }
}
