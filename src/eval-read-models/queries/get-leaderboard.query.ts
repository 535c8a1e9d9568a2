import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LeaderboardReader } from '../read-model/leaderboard-reader.js';
import { page } from '../../common/list-params.js';
import { AnswerMemo } from './answer-memo.js';
import { sortRows } from '../../common/sort-rows.js';
import type { LeaderboardParams } from './eval-query-params.js';

export class GetLeaderboardQuery {
  constructor(readonly params: LeaderboardParams) {}
}

/** Rows sorted by one of their fields (checked against the mode's keys by the params schema), else as ranked. */
function sorted<T extends object>(rows: T[], sort: string | undefined, order: 'asc' | 'desc' | undefined): T[] {
  if (sort === undefined) return rows;
  return sortRows(rows, (row) => (row as Record<string, string | number | null>)[sort], order ?? 'asc');
}

@QueryHandler(GetLeaderboardQuery)
export class GetLeaderboardHandler implements IQueryHandler<GetLeaderboardQuery> {
  private readonly answers = new AnswerMemo();

  constructor(private readonly readModels: LeaderboardReader) {}

  async execute({ params: p }: GetLeaderboardQuery) {
    const offset = p.offset ?? 0;
    if (p.mode === 'gptme') {
      const rows = await this.readModels.gptmeLeaderboard({
        minTests: p.minTests ?? 4,
        ...(p.model !== undefined ? { model: p.model } : {}),
        ...(p.format !== undefined ? { format: p.format } : {}),
      });
      return this.answers.get(rows, p, () => ({ mode: 'gptme', ...page(sorted(rows, p.sort, p.order), p.limit, offset) }));
    }
    const to = p.asOf ?? p.to;
    const rows = await this.readModels.defaultLeaderboard(
      {
        ...(p.model !== undefined ? { model: p.model } : {}),
        ...(p.format !== undefined ? { format: p.format } : {}),
        ...(p.suite !== undefined ? { suite: p.suite } : {}),
        ...(p.bySuite !== undefined ? { bySuite: p.bySuite } : {}),
        ...(p.k !== undefined ? { k: p.k } : {}),
        ...(p.z !== undefined ? { z: p.z } : {}),
        ...(p.minTests !== undefined ? { minTests: p.minTests } : {}),
      },
      { ...(p.from !== undefined ? { from: p.from } : {}), ...(to !== undefined ? { to } : {}) },
    );
    return this.answers.get(rows, p, () => ({
      mode: 'default',
      window: { from: p.from ?? null, to: to ?? null },
      ...page(sorted(rows, p.sort, p.order), p.limit ?? 50, offset),
    }));
  }
}
