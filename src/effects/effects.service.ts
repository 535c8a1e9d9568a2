/** Exposure writes and effect reads, over the event store and the read-model database. */
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { withLessonNames } from '../lessons/read-model/lesson-titles.js';
import { EffectAnswers } from './effect-answers.js';
import { EffectsReader, type EffectQuery } from './effects-reader.js';
import type { ExposuresBody } from './exposure-request.schemas.js';
import { lessonRefsOf, recordExposures, unknownLessonIds } from './record-exposures.js';

export class EffectsService {
  readonly reader: EffectsReader;
  private readonly answers: EffectAnswers;

  constructor(private readonly store: EventStore, readonly sql: SqlExecutor) {
    this.reader = new EffectsReader(sql, store);
    this.answers = new EffectAnswers(sql);
  }

  /** One lesson's effect with its title and path; the same answer object while the read models stand still. */
  lessonEffect(lessonId: string, query: EffectQuery) {
    return this.answers.get(query.ruleSet, [lessonId, query.method, query.revision, query.asOf?.toISOString(), query.evidence !== false], async () => {
      const effect = await this.reader.lessonEffect(lessonId, query);
      return (await withLessonNames(this.sql, [effect]))[0]!;
    });
  }

  /** `runId`: the outcomes are in this run (just recorded with their exposure): no outcome index needed. */
  record(body: ExposuresBody, actor?: string, runId?: string) {
    return recordExposures(this.sql, this.store, body, actor, runId);
  }

  /** Lesson ids no lesson has, checked before a run carrying exposure is written. */
  unknownLessonIds(body: ExposuresBody) {
    return unknownLessonIds(this.store, lessonRefsOf(body));
  }
}
