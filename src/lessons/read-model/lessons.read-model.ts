import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { LessonStatus } from '../../../contracts/lesson.js';
import { lessonCatalogue } from '../../../projections/lessons/lesson-catalogue.js';
import { lessonKeywordIndex, termKey, type LessonTermDoc, type TermKind } from '../../../projections/lessons/lesson-keyword-index.js';
import { lessonTimeline, type LessonTimelineDoc } from '../../../projections/lessons/lesson-timeline.js';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { currentInstanceId } from '../../projection-engine/instances/current-instance.js';
import { foldLesson } from '../domain/evolve-lesson.js';
import type { LessonState } from '../domain/lesson-state.js';
import { LessonCatalogueRow, LessonTermRow, LessonTimelineRow } from './lesson-documents.entities.js';

export interface LessonFilter {
  statuses?: LessonStatus[];
  category?: string;
  /** A keyword the lesson's match holds (case-insensitive, as gptme matches). */
  keyword?: string;
  includeDeleted?: boolean;
}

/** Queries over the current instances of the lesson projections. Empty until the engine has built them. */
@Injectable()
export class LessonsReadModel {
  private engineTablesSeen = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  /** Every lesson id in the catalogue (deleted ones too): what the directory importer needs to find moved files. */
  async lessonIds(): Promise<string[]> {
    const instanceId = await this.current(lessonCatalogue.name);
    if (instanceId === null) return [];
    const rows = await this.dataSource.getRepository(LessonCatalogueRow).find({ select: { docKey: true }, where: { instanceId } });
    return rows.map((row) => row.docKey);
  }

  async listLessons(filter: LessonFilter): Promise<LessonState[]> {
    const instanceId = await this.current(lessonCatalogue.name);
    if (instanceId === null) return [];
    const query = this.dataSource
      .getRepository(LessonCatalogueRow)
      .createQueryBuilder('c')
      .where('c.instance_id = :instanceId', { instanceId });
    if (!filter.includeDeleted) query.andWhere(`(c.doc->>'deleted')::boolean = false`);
    if (filter.statuses?.length) query.andWhere(`c.doc->>'status' IN (:...statuses)`, { statuses: filter.statuses });
    if (filter.category) query.andWhere(`c.doc->>'category' = :category`, { category: filter.category });
    if (filter.keyword !== undefined) {
      const keywords = await this.termLessons('keyword', filter.keyword);
      if (keywords.length === 0) return [];
      query.andWhere('c.doc_key IN (:...keywords)', { keywords });
    }
    return (await query.getMany()).map((row) => row.doc).sort(comparePaths);
  }

  /** Active lessons only: what matching draws from. */
  activeLessons(): Promise<LessonState[]> {
    return this.listLessons({ statuses: ['active'] });
  }

  async timeline(lessonId: string): Promise<LessonTimelineDoc | null> {
    const instanceId = await this.current(lessonTimeline.name);
    if (instanceId === null) return null;
    const row = await this.dataSource.getRepository(LessonTimelineRow).findOneBy({ instanceId, docKey: lessonId });
    return row?.doc ?? null;
  }

  /** Every lesson as it was at `asOf` (world time), folded from the timeline entries that had happened by then. */
  async lessonsAsOf(asOf: Date, filter: LessonFilter): Promise<LessonState[]> {
    const instanceId = await this.current(lessonTimeline.name);
    if (instanceId === null) return [];
    const rows = await this.dataSource.getRepository(LessonTimelineRow).find({ where: { instanceId } });
    const until = asOf.getTime();
    const keyword = filter.keyword?.trim().toLowerCase();
    return rows
      .map((row) =>
        foldLesson(
          row.doc.entries
            .filter((e) => Date.parse(e.occurredAt) <= until)
            .map((e) => ({ type: e.type, data: e.data, metadata: { occurredAt: e.occurredAt }, streamRevision: e.revision })),
        ),
      )
      .filter((state): state is LessonState => state !== null)
      .filter((state) => filter.includeDeleted || !state.deleted)
      .filter((state) => !filter.statuses?.length || filter.statuses.includes(state.status))
      .filter((state) => !filter.category || state.category === filter.category)
      .filter((state) => keyword === undefined || state.match.keywords.some((k) => k.trim().toLowerCase() === keyword))
      .sort(comparePaths);
  }

  /** Terms of the keyword index, optionally of one kind and containing `contains` (case-insensitive). */
  async terms(kind?: TermKind, contains?: string): Promise<LessonTermDoc[]> {
    const instanceId = await this.current(lessonKeywordIndex.name);
    if (instanceId === null) return [];
    const query = this.dataSource
      .getRepository(LessonTermRow)
      .createQueryBuilder('t')
      .where('t.instance_id = :instanceId', { instanceId })
      .orderBy('t.doc_key', 'ASC');
    if (kind) query.andWhere(`t.doc->>'kind' = :kind`, { kind });
    if (contains) query.andWhere(`strpos(lower(t.doc->>'term'), :contains) > 0`, { contains: contains.toLowerCase() });
    return (await query.getMany()).map((row) => row.doc);
  }

  /** The current instance of a projection; null before the engine has made one (or its tables). */
  private async current(name: string): Promise<string | null> {
    if (!this.engineTablesSeen) {
      const { rows } = await this.sql.query<{ present: boolean }>(`SELECT to_regclass('projection_current') IS NOT NULL AS present`);
      if (!rows[0]?.present) return null;
      this.engineTablesSeen = true;
    }
    return currentInstanceId(this.sql, name);
  }

  private async termLessons(kind: TermKind, term: string): Promise<string[]> {
    const instanceId = await this.current(lessonKeywordIndex.name);
    if (instanceId === null) return [];
    const row = await this.dataSource.getRepository(LessonTermRow).findOneBy({ instanceId, docKey: termKey(kind, term) });
    return row ? Object.keys(row.doc.lessons) : [];
  }
}

/** By path (code point order), lessons without a file last by id. */
function comparePaths(a: LessonState, b: LessonState): number {
  const x = a.path ?? '\uffff' + a.lessonId;
  const y = b.path ?? '\uffff' + b.lessonId;
  return x < y ? -1 : x > y ? 1 : 0;
}
