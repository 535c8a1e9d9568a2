import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EvalReadModels } from '../read-model/eval-read-models.read-model.js';
import { page } from './eval-query-params.js';
import { GetLeaderboardQuery } from './eval-read-model.queries.js';

@QueryHandler(GetLeaderboardQuery)
export class GetLeaderboardHandler implements IQueryHandler<GetLeaderboardQuery> {
  constructor(private readonly readModels: EvalReadModels) {}

  async execute({ params: p }: GetLeaderboardQuery) {
    if (p.mode === 'gptme') {
      const rows = await this.readModels.gptmeLeaderboard({
        minTests: p.minTests ?? 4,
        ...(p.model !== undefined ? { model: p.model } : {}),
        ...(p.format !== undefined ? { format: p.format } : {}),
      });
      return { mode: 'gptme', ...page(rows, p.limit, p.offset) };
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
    return {
      mode: 'default',
      window: { from: p.from ?? null, to: to ?? null },
      ...page(rows, p.limit ?? 50, p.offset),
    };
  }
}
