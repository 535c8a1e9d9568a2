import { Catch, HttpStatus, Logger, type ArgumentsHost, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { databaseTroubleOf, missingCoreTables, SCHEMA_MISSING_ADVICE } from '../database/database-trouble.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';

/** Seconds a client should wait before retrying while the database is unreachable (a restart, a failover). */
export const UNAVAILABLE_RETRY_AFTER_S = 5;
/** Seconds while the schema is missing: a person has to restore it, so asking again soon is pointless. */
export const SCHEMA_MISSING_RETRY_AFTER_S = 30;

/**
 * Every route's answer when the database is the problem, not the request: 503 with `Retry-After` and a JSON
 * body saying so (`database unavailable`, or `database schema missing` when the database answers without
 * lessonloop's tables), instead of a bare 500. Other errors go on to Nest's default handling. Controller filters
 * still come first, for the errors they name.
 */
@Catch()
export class DatabaseTroubleFilter extends BaseExceptionFilter {
  private readonly log = new Logger('DatabaseTrouble');

  constructor(
    private readonly http: HttpServer,
    private readonly sql: SqlClient,
  ) {
    super(http);
  }

  override async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const trouble = databaseTroubleOf(error);
    if (trouble?.kind === 'unavailable') {
      this.log.warn(`${trouble.store} unavailable: ${trouble.detail}`);
      return this.answer(host, UNAVAILABLE_RETRY_AFTER_S, `${trouble.store} unavailable`, `The ${trouble.store} cannot be reached; try again later`);
    }
    if (trouble?.kind === 'undefined-relation') {
      const missing = await missingCoreTables(this.sql).catch(() => [] as string[]);
      if (missing.length > 0) {
        this.log.error(`database schema missing (no ${missing.join(', ')}): ${trouble.detail}`);
        return this.answer(
          host,
          SCHEMA_MISSING_RETRY_AFTER_S,
          'database schema missing',
          `The database answers but has no ${missing.join(', ')} table (recreated empty?); ${SCHEMA_MISSING_ADVICE}`,
        );
      }
    }
    super.catch(error, host);
  }

  private answer(host: ArgumentsHost, retryAfter: number, label: string, message: string): void {
    const response = host.switchToHttp().getResponse<unknown>();
    this.http.setHeader(response, 'Retry-After', String(retryAfter));
    this.http.reply(response, { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: label, message, retryAfter }, HttpStatus.SERVICE_UNAVAILABLE);
  }
}

export function answerDatabaseTrouble(app: NestFastifyApplication): void {
  app.useGlobalFilters(new DatabaseTroubleFilter(app.getHttpAdapter(), app.get<SqlClient>(SQL_CLIENT)));
}
