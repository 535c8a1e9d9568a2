import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { missingCoreTables, SCHEMA_MISSING_ADVICE } from '../database/database-trouble.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { HEALTH_CHECK_TIMEOUT_MS } from './health-timeout.js';

/**
 * Up when the database has lessonloop's core tables. A database recreated empty answers `SELECT 1` like a
 * healthy one; this says what is wrong with it instead.
 */
@Injectable()
export class DatabaseSchemaHealthIndicator {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'databaseSchema') {
    const check = this.indicators.check(key);
    let missing: string[];
    try {
      missing = await withTimeout(missingCoreTables(this.sql), HEALTH_CHECK_TIMEOUT_MS);
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
    if (missing.length === 0) return check.up();
    return check.down({ problem: 'database schema missing', missing, message: SCHEMA_MISSING_ADVICE });
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
