import { Module } from '@nestjs/common';
import { ProjectionEngineModule } from '../projection-engine/projection-engine.module.js';
import { ExperimentsController } from './experiments.controller.js';
import { ExperimentsService } from './experiments.service.js';

/**
 * `GET /experiments`, `GET /experiments/:changeId`, `GET /analyses/compare`, `POST /rule-sets` over the
 * `change-timeline` and `experiment-outcomes` projections (registered with the projection engine).
 */
@Module({
  imports: [ProjectionEngineModule],
  controllers: [ExperimentsController],
  providers: [ExperimentsService],
  exports: [ExperimentsService],
})
export class ExperimentsModule {}
