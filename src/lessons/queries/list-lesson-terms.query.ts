import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { TermKind } from '../../../projections/lessons/lesson-keyword-index.js';
import { page as pageOf } from '../../common/list-params.js';
import { LessonsReadModel } from '../read-model/lessons.read-model.js';

export interface LessonTermView {
  kind: TermKind;
  term: string;
  lessonIds: string[];
  /** How each lesson spells the term (keywords differ in case). */
  spellings: Record<string, string[]>;
}

export interface TermsPage {
  /** Absent: every term. */
  limit?: number;
  offset: number;
}

/** GET /lessons/keywords: the keyword index (keywords, patterns, tools, session categories -> lessons), a page of it. */
export class ListLessonTermsQuery extends Query<{ items: LessonTermView[]; total: number; offset: number; limit: number | null }> {
  constructor(
    readonly kind?: TermKind,
    readonly contains?: string,
    readonly page: TermsPage = { offset: 0 },
  ) {
    super();
  }
}

@QueryHandler(ListLessonTermsQuery)
export class ListLessonTermsHandler implements IQueryHandler<ListLessonTermsQuery> {
  constructor(private readonly readModel: LessonsReadModel) {}

  async execute({ kind, contains, page }: ListLessonTermsQuery) {
    const terms = await this.readModel.terms(kind, contains);
    const shown = pageOf(terms, page.limit, page.offset);
    return {
      ...shown,
      items: shown.items.map((doc) => ({ kind: doc.kind, term: doc.term, lessonIds: Object.keys(doc.lessons), spellings: doc.lessons })),
    };
  }
}
