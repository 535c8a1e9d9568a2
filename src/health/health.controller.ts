import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseSchemaHealthIndicator } from './database-schema.health.js';
import { EventStoreHealthIndicator } from './event-store.health.js';
import { ReadModelDatabaseHealthIndicator } from './read-model-database.health.js';

/** `GET /health`: 200 when the event store and the read-model database answer and the schema is there, else 503 with details. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly readModels: ReadModelDatabaseHealthIndicator,
    private readonly schema: DatabaseSchemaHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.eventStore.isHealthy(), () => this.readModels.isHealthy(), () => this.schema.isHealthy()]);
  }
}
