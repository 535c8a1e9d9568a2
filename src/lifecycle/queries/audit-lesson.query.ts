import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { auditLessonFromStore, type LessonAuditResult } from '../audit/lesson-audit.service.js';

/** GET /lessons/:id/audit: the lesson's decisions and, with a rule set, the counterfactual (UnknownLessonError, UnknownPolicyRuleSetError). */
export class AuditLessonQuery extends Query<LessonAuditResult> {
  constructor(
    readonly lessonId: string,
    readonly ruleSetId?: string,
  ) {
    super();
  }
}

@QueryHandler(AuditLessonQuery)
export class AuditLessonHandler implements IQueryHandler<AuditLessonQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  execute({ lessonId, ruleSetId }: AuditLessonQuery): Promise<LessonAuditResult> {
    return auditLessonFromStore(this.store, lessonId, ruleSetId, this.sql);
  }
}
