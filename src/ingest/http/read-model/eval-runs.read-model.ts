import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { evalRuns } from '../../../../projections/eval/eval-runs.js';
import { SQL_CLIENT, type SqlClient } from '../../../database/sql-client.js';
import { currentInstanceId } from '../../../projection-engine/instances/current-instance.js';
import { cursorTimeSql, encodeCursor, type KeysetCursor } from '../queries/keyset-cursor.js';
import { EvalRunOutcomeRow, EvalRunRow } from './eval-run.entities.js';

export interface EvalRunFilter {
  limit: number;
  cursor?: KeysetCursor;
  /** Runs with at least one outcome of this model (name without format suffix, or the raw model string). */
  model?: string;
  /** startedAt >= from. */
  from?: string;
  /** startedAt < to. */
  to?: string;
}

export interface EvalRunPage {
  rows: EvalRunRow[];
  nextCursor: string | null;
}

/** Queries over the current instance of the `eval-runs` projection. */
@Injectable()
export class EvalRunsReadModel {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  /** null until the projection has an instance (nothing projected yet). */
  currentInstance(): Promise<string | null> {
    return currentInstanceId(this.sql, evalRuns.name);
  }

  async listRuns(filter: EvalRunFilter): Promise<EvalRunPage> {
    const instanceId = await this.currentInstance();
    if (instanceId === null) return { rows: [], nextCursor: null };
    const query = this.dataSource
      .getRepository(EvalRunRow)
      .createQueryBuilder('r')
      .addSelect(cursorTimeSql('r.started_at'), 'cursor_time')
      .where('r.instance_id = :instanceId', { instanceId })
      .orderBy('r.started_at', 'DESC')
      .addOrderBy('r.run_id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.from) query.andWhere('r.started_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('r.started_at < :to', { to: filter.to });
    if (filter.cursor) {
      query.andWhere('(r.started_at, r.run_id) < (CAST(:cursorTime AS timestamptz), :cursorId)', {
        cursorTime: filter.cursor.time,
        cursorId: filter.cursor.id,
      });
    }
    if (filter.model) {
      query.andWhere(
        `EXISTS (SELECT 1 FROM eval_run_outcomes o WHERE o.instance_id = r.instance_id AND o.run_id = r.run_id
           AND (o.model = :model OR o.raw_model = :model))`,
        { model: filter.model },
      );
    }
    const { entities, raw } = await query.getRawAndEntities<{ cursor_time: string }>();
    const rows = entities.slice(0, filter.limit);
    const last = rows.length === filter.limit && entities.length > filter.limit ? rows.length - 1 : -1;
    return {
      rows,
      nextCursor: last >= 0 ? encodeCursor({ time: raw[last]!.cursor_time, id: rows[last]!.runId }) : null,
    };
  }

  async getRun(runId: string): Promise<{ run: EvalRunRow; outcomes: EvalRunOutcomeRow[] } | null> {
    const instanceId = await this.currentInstance();
    if (instanceId === null) return null;
    const run = await this.dataSource.getRepository(EvalRunRow).findOneBy({ instanceId, runId });
    if (!run) return null;
    const outcomes = await this.dataSource
      .getRepository(EvalRunOutcomeRow)
      .createQueryBuilder('o')
      .where('o.instance_id = :instanceId AND o.run_id = :runId', { instanceId, runId })
      .orderBy('o.global_position', 'ASC')
      .getMany();
    return { run, outcomes };
  }
}
