/**
 * A bandit session's exposure: when its reward references eval outcomes, each of those outcomes received the
 * lessons the selection injected and was denied the others it matched: those the coin withheld (`coin`, with the
 * rate) and those the top-k draw left out (`cap`). Each lesson carries its propensity P(injected) =
 * inclusion probability x (1 - holdout rate) when the selection estimated one. Source `session:<id>`.
 */
import type { LessonArmsSampledData, RewardOutcome } from '../../contracts/bandit.js';
import { newEvent, type NewEventOf } from '../../contracts/catalogue.js';
import { exposureEventId, exposureStreamId, type LessonExposureRecordedData } from '../../contracts/exposure.js';
import { handleCommand } from '../common/commands/handle-command.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { exposureDecider } from './exposure-decider.js';

export function sessionExposureData(sampled: LessonArmsSampledData, outcome: RewardOutcome): LessonExposureRecordedData {
  const rate = sampled.holdout.rate;
  const withheldByCoin = new Set(sampled.holdout.withheld);
  const injected = new Set(sampled.selected);
  const propensity = (pi: number | undefined) => (pi === undefined ? {} : { propensity: pi * (1 - rate) });
  return {
    outcome,
    ...(sampled.context.category ? { category: sampled.context.category } : {}),
    sessionId: sampled.sessionId,
    injected: sampled.candidates
      .filter((c) => injected.has(c.lessonId))
      .map((c) => ({ lessonId: c.lessonId, ...(rate > 0 ? { holdoutRate: rate } : {}), ...propensity(c.inclusionProbability) })),
    withheld: sampled.candidates
      .filter((c) => !injected.has(c.lessonId))
      .map((c) =>
        withheldByCoin.has(c.lessonId)
          ? { lessonId: c.lessonId, withheldBy: 'coin' as const, holdoutRate: rate, ...propensity(c.inclusionProbability) }
          : { lessonId: c.lessonId, withheldBy: 'cap' as const, ...propensity(c.inclusionProbability) },
      ),
  };
}

export function sessionExposureEvents(sampled: LessonArmsSampledData, outcomes: readonly RewardOutcome[], occurredAt: string): NewEventOf<'LessonExposureRecorded'>[] {
  const source = `session:${sampled.sessionId}`;
  return outcomes.map((outcome) =>
    newEvent('LessonExposureRecorded', sessionExposureData(sampled, outcome), { occurredAt, source }, exposureEventId(outcome.eventId, source)),
  );
}

/** Appends them, one outcome stream each (a repeated report appends nothing). */
export async function recordSessionExposure(store: EventStore, events: readonly NewEventOf<'LessonExposureRecorded'>[]): Promise<void> {
  for (const event of events) await handleCommand(store, exposureStreamId(event.data.outcome.eventId), { event }, exposureDecider);
}
