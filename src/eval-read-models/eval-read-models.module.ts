import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvalReadModelsController } from './eval-read-models.controller.js';
import { GetCiGateHandler } from './queries/get-ci-gate.query.js';
import { GetLeaderboardHandler } from './queries/get-leaderboard.query.js';
import { GetPooledTrendsHandler } from './queries/get-pooled-trends.query.js';
import { GetTestHistoryHandler } from './queries/get-test-history.query.js';
import { GetTrendsHandler } from './queries/get-trends.query.js';
import { EVAL_READ_MODEL_ENTITIES } from './read-model/eval-read-model.entities.js';
import { CiGateReader } from './read-model/ci-gate-reader.js';
import { EvalReadState } from './read-model/eval-read-state.js';
import { HistoryReader } from './read-model/history-reader.js';
import { LeaderboardReader } from './read-model/leaderboard-reader.js';
import { TrendsReader } from './read-model/trends-reader.js';

/**
 * `GET /leaderboard`, `GET /trends`, `GET /trends/pooled`, `GET /models/:model/tests/:test/history`, `GET /eval-runs/:runId/ci-gate` over the `leaderboard`, `trends`
 * and `test-history` projections (EVAL_READ_MODEL_PROJECTIONS, which the projection engine must run).
 */
@Module({
  imports: [TypeOrmModule.forFeature(EVAL_READ_MODEL_ENTITIES)],
  controllers: [EvalReadModelsController],
  providers: [
    EvalReadState, LeaderboardReader, TrendsReader, HistoryReader, CiGateReader,
    GetLeaderboardHandler, GetTrendsHandler, GetPooledTrendsHandler, GetTestHistoryHandler, GetCiGateHandler,
  ],
  exports: [LeaderboardReader, TrendsReader, HistoryReader],
})
export class EvalReadModelsModule {}
