import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { stoppedInstances } from '../projection-engine/status/stopped-instances.js';

/**
 * Projection instances that stopped (failed at an event, or missing a table). They do not stop the API from
 * answering, so by default they make /health `degraded` (still 200); LESSONLOOP_HEALTH_FAILED_PROJECTIONS=unhealthy
 * makes them a 503 for deployments that want to be paged.
 */
@Injectable()
export class ProjectionsHealthIndicator {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'projections') {
    const check = this.indicators.check(key);
    const stopped = await stoppedInstances(this.sql).catch(() => null);
    // The database's own indicators report a database that cannot answer; this one has nothing to add then.
    if (stopped === null || stopped.length === 0) return check.up({ stopped: [] });
    if (this.config.LESSONLOOP_HEALTH_FAILED_PROJECTIONS === 'unhealthy') return check.down({ stopped });
    return check.up({ state: 'degraded', stopped });
  }
}
