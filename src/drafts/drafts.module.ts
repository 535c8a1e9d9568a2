import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { DraftsController } from './drafts.controller.js';
import { DraftsService } from './drafts.service.js';

/** `POST /drafts/detect`, `GET /drafts`, `GET /drafts/:id`, `POST /drafts/:id/accept|reject`: lesson drafts (docs/drafts.md). */
@Module({
  controllers: [DraftsController],
  providers: [{ provide: DraftsService, inject: [EVENT_STORE, APP_CONFIG], useFactory: (store: EventStore, config: AppConfig) => new DraftsService(store, config) }],
})
export class DraftsModule {}
