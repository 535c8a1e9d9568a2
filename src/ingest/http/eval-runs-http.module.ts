import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EffectsModule } from '../../effects/effects.module.js';
import { RecordEvalRunHandler } from './commands/record-eval-run.command.js';
import { EvalRunDrilldownController } from './eval-run-drilldown.controller.js';
import { EvalRunsController } from './eval-runs.controller.js';
import { GetEvalRunHandler } from './queries/get-eval-run.query.js';
import { ListEvalRunsHandler } from './queries/list-eval-runs.query.js';
import { EvalRunOutcomeRow, EvalRunRow } from './read-model/eval-run.entities.js';
import { EvalRunsReadModel } from './read-model/eval-runs.read-model.js';

/** `POST /eval-runs`, `POST /eval-runs/csv`, `GET /eval-runs`, `GET /eval-runs/:runId`, its outcomes and two runs' diff. Needs CqrsModule.forRoot() in the app. */
@Module({
  imports: [TypeOrmModule.forFeature([EvalRunRow, EvalRunOutcomeRow]), EffectsModule],
  controllers: [EvalRunsController, EvalRunDrilldownController],
  providers: [RecordEvalRunHandler, ListEvalRunsHandler, GetEvalRunHandler, EvalRunsReadModel],
})
export class EvalRunsHttpModule {}
