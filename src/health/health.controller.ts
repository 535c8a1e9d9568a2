import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { EventStoreHealthIndicator } from './event-store.health.js';
import { ReadModelDatabaseHealthIndicator } from './read-model-database.health.js';

/** `GET /health`: 200 when the event store and the read-model database both answer, else 503 with details. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly readModels: ReadModelDatabaseHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.eventStore.isHealthy(), () => this.readModels.isHealthy()]);
  }
}
