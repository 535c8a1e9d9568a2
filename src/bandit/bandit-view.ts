/**
 * Selection's fallback when its read models are missing (see selection-inputs.ts): every lesson's current
 * state and the posteriors, folded from the whole log once and caught up (only the events after the last one
 * seen) before each use. Posteriors here come from the same pure fold as the policy and the audit.
 */
import { comparePositions, type Position, type RecordedEvent } from '../../contracts/envelope.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { applyPosteriorEvent, emptyPosteriorState, POSTERIOR_EVENT_TYPES, type PosteriorState } from '../../projections/bandit/posterior.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { evolveLesson } from '../lessons/domain/evolve-lesson.js';
import type { LessonState } from '../lessons/domain/lesson-state.js';
import { isLessonEventType } from '../lessons/domain/lesson-stream.js';

export class BanditView {
  readonly lessons = new Map<string, LessonState>();
  readonly posterior: PosteriorState = emptyPosteriorState();
  private after: Position | undefined;
  private catching: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    readonly rules: BanditRules,
  ) {}

  /**
   * Reads and folds everything appended since the last call (one catch-up at a time). With `atLeast`, keeps
   * reading (up to `waitMs`) until that position is folded: the store's read horizon can hold back an event
   * just committed while an older transaction is still open, and a caller must see its own appends.
   */
  async catchUp(atLeast?: Position, waitMs = 5000): Promise<void> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      this.catching ??= this.readNew().finally(() => (this.catching = undefined));
      await this.catching;
      if (!atLeast || (this.after && comparePositions(this.after, atLeast) >= 0) || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ ...(this.after ? { after: this.after } : {}), maxCount: 5000 });
      for (const event of page) this.apply(event);
      if (page.length > 0) this.after = page[page.length - 1]!.position;
      if (page.length < 5000) return;
    }
  }

  private apply(event: RecordedEvent): void {
    if ((POSTERIOR_EVENT_TYPES as readonly string[]).includes(event.type)) {
      applyPosteriorEvent(this.posterior, event, this.rules);
    } else if (isLessonEventType(event.type)) {
      const lessonId = (event.data as { lessonId: string }).lessonId;
      const next = evolveLesson(this.lessons.get(lessonId) ?? null, { type: event.type, data: event.data, metadata: event.metadata });
      if (next && !next.deleted) this.lessons.set(lessonId, next);
      else this.lessons.delete(lessonId);
    }
  }
}
