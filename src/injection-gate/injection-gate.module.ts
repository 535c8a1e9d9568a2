import { Module } from '@nestjs/common';
import { SQL_CLIENT, type SqlClient } from '../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { InjectionGateController } from './injection-gate.controller.js';
import { InjectionGateReader } from './injection-gate-reader.js';

/** `GET /injection-gate`: lessons on vs off per (model, eval), per lesson, and as gptme's pass-rate gate file. */
@Module({
  controllers: [InjectionGateController],
  providers: [{ provide: InjectionGateReader, inject: [SQL_CLIENT, EVENT_STORE], useFactory: (sql: SqlClient, store: EventStore) => new InjectionGateReader(sql, store) }],
})
export class InjectionGateModule {}
