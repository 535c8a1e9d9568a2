import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HEALTH_CHECK_TIMEOUT_MS } from './health-timeout.js';

/** Up when `SELECT 1` succeeds through the read models' TypeORM DataSource. */
@Injectable()
export class ReadModelDatabaseHealthIndicator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
  ) {}

  isHealthy(key = 'readModelDatabase') {
    return this.indicators
      .check(key)
      .attempt(async () => {
        if (!this.dataSource.isInitialized) throw new Error('the read-model DataSource is not connected');
        await this.dataSource.query('SELECT 1');
      })
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS);
  }
}
