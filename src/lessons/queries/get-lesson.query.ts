import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { lessonAsOf, loadLesson } from '../store/lesson-events.js';
import { toLessonView, type LessonView } from './lesson-view.js';

/**
 * GET /lessons/:id, read from the lesson's own stream (not a read model), so the revision it gives is the
 * one a PATCH right after must send. With `asOf`: the lesson folded from its events up to that instant.
 * Null when the lesson does not exist (or did not yet at `asOf`).
 */
export class GetLessonQuery extends Query<LessonView | null> {
  constructor(
    readonly lessonId: string,
    readonly asOf?: Date,
  ) {
    super();
  }
}

@QueryHandler(GetLessonQuery)
export class GetLessonHandler implements IQueryHandler<GetLessonQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ lessonId, asOf }: GetLessonQuery): Promise<LessonView | null> {
    const loaded = await loadLesson(this.store, lessonId);
    const state = asOf ? lessonAsOf(loaded.events, asOf) : loaded.state;
    return state ? toLessonView(state) : null;
  }
}
