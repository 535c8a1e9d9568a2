import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvalReadModelsController } from './eval-read-models.controller.js';
import { GetLeaderboardHandler } from './queries/get-leaderboard.handler.js';
import { GetTestHistoryHandler } from './queries/get-test-history.handler.js';
import { GetTrendsHandler } from './queries/get-trends.handler.js';
import { EVAL_READ_MODEL_ENTITIES } from './read-model/eval-read-model.entities.js';
import { EvalReadModels } from './read-model/eval-read-models.read-model.js';

/**
 * `GET /leaderboard`, `GET /trends`, `GET /models/:model/tests/:test/history` over the `leaderboard`, `trends`
 * and `test-history` projections (EVAL_READ_MODEL_PROJECTIONS, which the projection engine must run).
 */
@Module({
  imports: [TypeOrmModule.forFeature(EVAL_READ_MODEL_ENTITIES)],
  controllers: [EvalReadModelsController],
  providers: [EvalReadModels, GetLeaderboardHandler, GetTrendsHandler, GetTestHistoryHandler],
  exports: [EvalReadModels],
})
export class EvalReadModelsModule {}
