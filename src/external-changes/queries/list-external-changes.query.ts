import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { z } from 'zod';
import { EXTERNAL_CHANGE_KINDS } from '../../../contracts/external.js';
import { pageParamsShape } from '../../ingest/http/queries/list-query-params.js';
import type { ExternalChangeRow } from '../read-model/external-change.entity.js';
import { ExternalChangesReadModel } from '../read-model/external-changes.read-model.js';

export const listExternalChangesParamsSchema = z.strictObject({
  ...pageParamsShape,
  subject: z.string().min(1).optional(),
  kind: z.enum(EXTERNAL_CHANGE_KINDS).optional(),
});
export type ListExternalChangesParams = z.infer<typeof listExternalChangesParamsSchema>;

export interface ExternalChangeView {
  changeId: string;
  kind: string;
  subject: string;
  description: string;
  occurredAt: string;
  recordedAt: string;
  source: string;
  actor: string | null;
  eventId: string;
  globalPosition: string;
}

export class ListExternalChangesQuery extends Query<{ items: ExternalChangeView[]; nextCursor: string | null }> {
  constructor(readonly params: ListExternalChangesParams) {
    super();
  }
}

@QueryHandler(ListExternalChangesQuery)
export class ListExternalChangesHandler implements IQueryHandler<ListExternalChangesQuery> {
  constructor(private readonly readModel: ExternalChangesReadModel) {}

  async execute({ params }: ListExternalChangesQuery) {
    const page = await this.readModel.list(params);
    return { items: page.rows.map(toView), nextCursor: page.nextCursor };
  }
}

function toView(row: ExternalChangeRow): ExternalChangeView {
  return {
    changeId: row.changeId,
    kind: row.kind ?? '',
    subject: row.subject ?? '',
    description: row.description ?? '',
    occurredAt: row.occurredAt?.toISOString() ?? '',
    recordedAt: row.recordedAt?.toISOString() ?? '',
    source: row.source ?? '',
    actor: row.actor,
    eventId: row.eventId ?? '',
    globalPosition: String(row.globalPosition),
  };
}
