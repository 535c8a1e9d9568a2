import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseSchemaHealthIndicator } from './database-schema.health.js';
import { EventStoreHealthIndicator } from './event-store.health.js';
import { ProjectionsHealthIndicator } from './projections.health.js';
import { ReadModelDatabaseHealthIndicator } from './read-model-database.health.js';

/**
 * `GET /health`: 200 when the event store and the read-model database answer and the schema is there, else 503
 * with details. A stopped projection instance makes it `status: "degraded"` (200) or a 503, by
 * LESSONLOOP_HEALTH_FAILED_PROJECTIONS.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly readModels: ReadModelDatabaseHealthIndicator,
    private readonly schema: DatabaseSchemaHealthIndicator,
    private readonly projections: ProjectionsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  async check() {
    const result = await this.health.check([
      () => this.eventStore.isHealthy(),
      () => this.readModels.isHealthy(),
      () => this.schema.isHealthy(),
      () => this.projections.isHealthy(),
    ]);
    const degraded = (result.info?.projections as { state?: string } | undefined)?.state === 'degraded';
    return degraded ? { ...result, status: 'degraded' } : result;
  }
}
