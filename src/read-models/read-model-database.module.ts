import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { readModelDataSourceOptions } from './read-model-data-source.js';

/**
 * The TypeORM DataSource for read models (the default @nestjs/typeorm connection).
 *
 * How a feature adds read-model tables:
 *  - entities: `imports: [TypeOrmModule.forFeature([MyView])]` in the feature module, then
 *    `@InjectRepository(MyView)` (or `@InjectDataSource()`); `autoLoadEntities` registers them here;
 *  - schema: a migration class added to the list in `./migrations/index.ts` (run at start; never `synchronize`).
 * On PGlite each query runner holds the database until released (see pglite-session-pool.ts): inside
 * `dataSource.transaction(...)` use only the manager you are given, not the event store or SqlClient.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG, SQL_CLIENT],
      useFactory: (config: AppConfig, sql: SqlClient) => ({
        ...readModelDataSourceOptions(config, sql),
        autoLoadEntities: true,
        // The SqlClient on the same database is already open; a failure here (a bad migration) is not transient.
        retryAttempts: 1,
      }),
    }),
  ],
})
export class ReadModelDatabaseModule {}
