import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { DraftsController } from './drafts.controller.js';
import { DraftsService } from './drafts.service.js';

/** `GET /drafts`, `GET /drafts/:id`, `POST /drafts/:id/accept|reject`: reviewing lesson drafts (docs/drafts.md). */
@Module({
  controllers: [DraftsController],
  providers: [{ provide: DraftsService, inject: [EVENT_STORE], useFactory: (store: EventStore) => new DraftsService(store) }],
})
export class DraftsModule {}
