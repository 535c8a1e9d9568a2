import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChangeLessonHandler } from './commands/change-lesson.command.js';
import { CreateLessonHandler } from './commands/create-lesson.command.js';
import { MutateLessonHandler } from './commands/mutate-lesson.command.js';
import { LessonsController } from './lessons.controller.js';
import { GetLessonTimelineHandler } from './queries/get-lesson-timeline.query.js';
import { GetLessonHandler } from './queries/get-lesson.query.js';
import { ListLessonTermsHandler } from './queries/list-lesson-terms.query.js';
import { ListLessonsHandler } from './queries/list-lessons.query.js';
import { MatchLessonsHandler } from './queries/match-lessons.query.js';
import { LessonCatalogueRow, LessonTermRow, LessonTimelineRow } from './read-model/lesson-documents.entities.js';
import { LessonsReadModel } from './read-model/lessons.read-model.js';

/**
 * /lessons: commands (create, edit at a revision, mutate) through the CommandBus onto the lesson streams;
 * queries through the QueryBus from the lesson read models (projections/lessons/lesson-projections.ts, which the
 * projection engine must run) and, for one lesson, from its stream. Needs CqrsModule.forRoot() in the app.
 */
@Module({
  imports: [TypeOrmModule.forFeature([LessonCatalogueRow, LessonTimelineRow, LessonTermRow])],
  controllers: [LessonsController],
  providers: [
    CreateLessonHandler,
    ChangeLessonHandler,
    MutateLessonHandler,
    ListLessonsHandler,
    GetLessonHandler,
    GetLessonTimelineHandler,
    MatchLessonsHandler,
    ListLessonTermsHandler,
    LessonsReadModel,
  ],
  exports: [LessonsReadModel],
})
export class LessonsModule {}
