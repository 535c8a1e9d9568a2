import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import { EXTERNAL_CHANGE_KINDS } from '../../../contracts/external.js';
import { pageParamsShape } from '../../ingest/http/queries/list-query-params.js';

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
