import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** Sends TypeORM's messages to Nest's logger (pino in the app); queries only at `trace` level. */
export class TypeOrmNestLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('TypeORM');

  constructor(private readonly logQueries = false) {}

  logQuery(query: string, parameters?: unknown[] | object): void {
    if (this.logQueries) this.logger.verbose({ query, parameters });
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    this.logger.warn({ query, parameters, error: error instanceof Error ? error.message : error }, 'query failed');
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[] | object): void {
    this.logger.warn({ query, parameters, ms: time }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
    else this.logger.log(message);
  }
}
