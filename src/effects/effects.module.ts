import { Module } from '@nestjs/common';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { EffectsController } from './effects.controller.js';
import { EffectsService } from './effects.service.js';

/** Exposure (`POST /exposures`) and lesson effects (`/lessons/:id/effect`, `/effects`, `/exposures/unresolved`). */
@Module({
  controllers: [EffectsController],
  providers: [
    {
      provide: EffectsService,
      inject: [EVENT_STORE, SQL_CLIENT],
      useFactory: (store: EventStore, sql: SqlClient) => new EffectsService(store, sql),
    },
  ],
  exports: [EffectsService],
})
export class EffectsModule {}
