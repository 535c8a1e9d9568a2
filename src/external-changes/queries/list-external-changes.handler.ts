import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ExternalChangeRow } from '../read-model/external-change.entity.js';
import { ExternalChangesReadModel } from '../read-model/external-changes.read-model.js';
import { ListExternalChangesQuery, type ExternalChangeView } from './list-external-changes.query.js';

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
