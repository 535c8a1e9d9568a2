import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LessonTermDoc } from '../../../projections/lessons/lesson-keyword-index.js';
import type { LessonTimelineDoc } from '../../../projections/lessons/lesson-timeline.js';
import type { LessonState } from '../domain/lesson-state.js';

/**
 * TypeORM views of the lesson projections' document tables (projections/lesson-*.ts). The projection engine
 * creates and fills them ((instance_id, doc_key, doc jsonb) per projection), so there is no migration here:
 * the definitions are the one source of the schema. Read-only for the app.
 */
@Entity({ name: 'lesson_catalogue', synchronize: false })
export class LessonCatalogueRow {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  /** The lessonId. */
  @PrimaryColumn({ name: 'doc_key', type: 'text' }) docKey!: string;
  @Column({ type: 'jsonb' }) doc!: LessonState;
}

@Entity({ name: 'lesson_timeline', synchronize: false })
export class LessonTimelineRow {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  @PrimaryColumn({ name: 'doc_key', type: 'text' }) docKey!: string;
  @Column({ type: 'jsonb' }) doc!: LessonTimelineDoc;
}

@Entity({ name: 'lesson_keyword_index', synchronize: false })
export class LessonTermRow {
  @PrimaryColumn({ name: 'instance_id', type: 'text' }) instanceId!: string;
  /** `<kind>:<term>`, e.g. `keyword:git push`. */
  @PrimaryColumn({ name: 'doc_key', type: 'text' }) docKey!: string;
  @Column({ type: 'jsonb' }) doc!: LessonTermDoc;
}
