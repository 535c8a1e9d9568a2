import type { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { DataSource, type MigrationInterface } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import type { AppConfig } from '../config/app-config.js';
import type { SqlClient } from '../database/sql-client.js';
import { readModelMigrations } from './migrations/index.js';
import { pgliteDriverModule, type SharedPglite } from './pglite-session-pool.js';
import { TypeOrmNestLogger } from './typeorm-nest-logger.js';

export interface ReadModelSchema {
  entities?: PostgresDataSourceOptions['entities'];
  /** Defaults to the registered list in ./migrations/index.ts. */
  migrations?: Array<new () => MigrationInterface>;
}

export const READ_MODEL_MIGRATIONS_TABLE = 'read_model_migrations';

/**
 * TypeORM settings for the read models, on the same database as the events: the DATABASE_URL server
 * (TypeORM's own pg pool), or the application's one PGlite through its mutex (see pglite-session-pool.ts).
 * Schema changes only through migrations, run at start.
 */
export function readModelDataSourceOptions(
  config: AppConfig,
  sql: SqlClient,
  schema: ReadModelSchema = {},
): PostgresDataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: schema.entities ?? [],
    migrations: schema.migrations ?? readModelMigrations,
    migrationsRun: true,
    migrationsTableName: READ_MODEL_MIGRATIONS_TABLE,
    synchronize: false,
    // uuid columns use gen_random_uuid(), built into PostgreSQL 13+ and PGlite: no extension to install.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logger: new TypeOrmNestLogger(config.LOG_LEVEL === 'trace'),
  };
  if (sql.kind === 'pglite') {
    if (!isSharedPglite(sql)) throw new Error('The PGlite SqlClient does not expose db and exclusive(); cannot share it with TypeORM');
    const log = new Logger('ReadModelDatabase');
    return { ...common, driver: pgliteDriverModule(sql, { onWarning: (message) => log.warn(message) }) };
  }
  if (!config.DATABASE_URL) throw new Error('The SqlClient is PostgreSQL but DATABASE_URL is not set');
  const log = new Logger('ReadModelDatabase');
  return {
    ...common,
    url: config.DATABASE_URL,
    poolSize: 5,
    applicationName: 'lessonloop-read-models',
    // pg-pool calls onConnect for every client before first use, the very first one (TypeORM's version check) too.
    extra: { onConnect: (client: EventEmitter) => void client.on('error', (error: Error) => clientLost(log, error)) },
  };
}

/**
 * pg emits 'error' on a client whose connection drops between two queries, and an 'error' nobody listens to ends
 * the process. TypeORM's pool listener covers idle clients only; a checked-out one (a query runner held across
 * awaits, a transaction) had none. With this one its next query fails as a database outage (503) and the pool
 * drops it on release.
 */
function clientLost(log: Logger, error: Error): void {
  log.warn(`a read-model database connection was lost: ${error.message}`);
}

/** A DataSource outside Nest (tests, scripts), initialized and migrated. Destroy it before closing `sql`. */
export async function openReadModelDataSource(config: AppConfig, sql: SqlClient, schema: ReadModelSchema = {}): Promise<DataSource> {
  return new DataSource(readModelDataSourceOptions(config, sql, schema)).initialize();
}

function isSharedPglite(sql: SqlClient): sql is SqlClient & SharedPglite {
  const candidate = sql as Partial<SharedPglite>;
  return typeof candidate.exclusive === 'function' && typeof candidate.db === 'object' && candidate.db !== null;
}
