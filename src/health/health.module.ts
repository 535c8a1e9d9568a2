import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseSchemaHealthIndicator } from './database-schema.health.js';
import { EventStoreHealthIndicator } from './event-store.health.js';
import { HealthController } from './health.controller.js';
import { ProjectionsHealthIndicator } from './projections.health.js';
import { ReadModelDatabaseHealthIndicator } from './read-model-database.health.js';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [EventStoreHealthIndicator, ReadModelDatabaseHealthIndicator, DatabaseSchemaHealthIndicator, ProjectionsHealthIndicator],
})
export class HealthModule {}
