import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RecordExternalChangeHandler } from './commands/record-external-change.command.js';
import { ExternalChangesController } from './external-changes.controller.js';
import { ListExternalChangesHandler } from './queries/list-external-changes.query.js';
import { ExternalChangeRow } from './read-model/external-change.entity.js';
import { ExternalChangesReadModel } from './read-model/external-changes.read-model.js';

/** `POST /external-changes`, `GET /external-changes`. Needs CqrsModule.forRoot() in the app. */
@Module({
  imports: [TypeOrmModule.forFeature([ExternalChangeRow])],
  controllers: [ExternalChangesController],
  providers: [RecordExternalChangeHandler, ListExternalChangesHandler, ExternalChangesReadModel],
})
export class ExternalChangesModule {}
