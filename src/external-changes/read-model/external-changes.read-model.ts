import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { externalChanges } from '../../../projections/domain-changes/external-changes.js';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { cursorTimeSql, encodeCursor, type KeysetCursor } from '../../ingest/http/queries/keyset-cursor.js';
import { currentInstanceId } from '../../projection-engine/instances/current-instance.js';
import { ExternalChangeRow } from './external-change.entity.js';

export interface ExternalChangeFilter {
  limit: number;
  cursor?: KeysetCursor;
  subject?: string;
  kind?: string;
  /** occurredAt >= from. */
  from?: string;
  /** occurredAt < to. */
  to?: string;
}

/** Queries over the current instance of the `external-changes` projection. */
@Injectable()
export class ExternalChangesReadModel {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  async list(filter: ExternalChangeFilter): Promise<{ rows: ExternalChangeRow[]; nextCursor: string | null }> {
    const instanceId = await currentInstanceId(this.sql, externalChanges.name);
    if (instanceId === null) return { rows: [], nextCursor: null };
    const query = this.dataSource
      .getRepository(ExternalChangeRow)
      .createQueryBuilder('c')
      .addSelect(cursorTimeSql('c.occurred_at'), 'cursor_time')
      .where('c.instance_id = :instanceId', { instanceId })
      .orderBy('c.occurred_at', 'DESC')
      .addOrderBy('c.change_id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.subject) query.andWhere('c.subject = :subject', { subject: filter.subject });
    if (filter.kind) query.andWhere('c.kind = :kind', { kind: filter.kind });
    if (filter.from) query.andWhere('c.occurred_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('c.occurred_at < :to', { to: filter.to });
    if (filter.cursor) {
      query.andWhere('(c.occurred_at, c.change_id) < (CAST(:cursorTime AS timestamptz), :cursorId)', {
        cursorTime: filter.cursor.time,
        cursorId: filter.cursor.id,
      });
    }
    const { entities, raw } = await query.getRawAndEntities<{ cursor_time: string }>();
    const rows = entities.slice(0, filter.limit);
    const hasMore = entities.length > filter.limit;
    const last = rows.length - 1;
    return { rows, nextCursor: hasMore ? encodeCursor({ time: raw[last]!.cursor_time, id: rows[last]!.changeId }) : null };
  }
}
