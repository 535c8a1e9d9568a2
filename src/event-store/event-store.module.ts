import { Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from './event-store.port.js';
import { openEventStore } from './open-event-store.js';

/**
 * Provides EVENT_STORE everywhere (see openEventStore). Needs APP_CONFIG and SQL_CLIENT from
 * AppConfigModule.forRoot() and DatabaseModule. Closed in onModuleDestroy, which runs before DatabaseModule
 * closes the SQL client in onApplicationShutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, SQL_CLIENT],
      useFactory: (config: AppConfig, sql: SqlClient): Promise<EventStore> => openEventStore(config, sql),
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}
