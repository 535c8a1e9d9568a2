import type { HistoryParams, LeaderboardParams, TrendsParams } from './eval-query-params.js';

export class GetLeaderboardQuery {
  constructor(readonly params: LeaderboardParams) {}
}

export class GetTrendsQuery {
  constructor(readonly params: TrendsParams) {}
}

export class GetTestHistoryQuery {
  constructor(
    readonly model: string,
    readonly test: string,
    readonly params: HistoryParams,
  ) {}
}
