import { Module } from '@nestjs/common';
import { ProjectionEngineModule } from '../projection-engine/projection-engine.module.js';
import { DefineRuleSetHandler } from './commands/define-rule-set.command.js';
import { ExperimentsController } from './experiments.controller.js';
import { RuleSetCompareService } from '../rule-set-analyses/rule-set-compare.service.js';
import { ExperimentsService } from './experiments.service.js';

/**
 * `GET /experiments`, `GET /experiments/:changeId`, `GET /analyses/compare`, `POST /rule-sets` over the
 * `change-timeline` and `experiment-outcomes` projections (registered with the projection engine); the compare
 * also folds the lifecycle policy under both rule sets and reads their `trends` instances.
 */
@Module({
  imports: [ProjectionEngineModule],
  controllers: [ExperimentsController],
  providers: [ExperimentsService, RuleSetCompareService, DefineRuleSetHandler],
  exports: [ExperimentsService, RuleSetCompareService],
})
export class ExperimentsModule {}
