import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from './sql-client.js';
import { openDatabase } from './open-database.js';

/**
 * Provides SQL_CLIENT everywhere: PostgreSQL when DATABASE_URL is set, else PGlite under LESSONLOOP_DATA_DIR,
 * migrated before anything uses it. APP_CONFIG comes from AppConfigModule.forRoot() at the application root.
 * Closed at application shutdown, after the modules that use it have run their onModuleDestroy hooks.
 */
@Global()
@Module({
  providers: [
    {
      provide: SQL_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<SqlClient> => openDatabase(config),
    },
  ],
  exports: [SQL_CLIENT],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
