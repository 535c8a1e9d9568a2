/**
 * The planted world as the time-window experiment sees it: each lesson's creation and the model-API change as
 * timeline changes, and the outcomes as hourly buckets (test = the session's category), so that
 * `analyzeExperiments` can judge each lesson change the way it judges a real log. Pure.
 */
import type { LessonExposureRecordedData } from '../../../contracts/exposure.js';
import type { TimelineChange } from '../../../projections/domain-changes/change-timeline.js';
import { hourOf, type OutcomeBucket } from '../../../projections/experiments/experiment-outcomes.js';
import { SESSIONS_WORLD_START, type SessionsWorld } from './simulate-sessions.js';

const at = (session: number) => new Date(SESSIONS_WORLD_START + session * 60_000).toISOString();

export function plantedTimeline(world: SessionsWorld): TimelineChange[] {
  const { confoundedInTime } = world.config;
  const lessons: TimelineChange[] = world.truth.map((l) => ({
    changeId: `created-${l.lessonId}`,
    kind: 'lesson-created',
    at: at(l.createdAtSession),
    subject: l.lessonId,
    description: `${l.lessonId} created`,
    lessonId: l.lessonId,
    keywords: [],
  }));
  const modelApi: TimelineChange = {
    changeId: 'model-api-change',
    kind: 'model-api',
    at: at(confoundedInTime.atSession),
    subject: confoundedInTime.model,
    description: `${confoundedInTime.model}'s API changed (pass rate ${confoundedInTime.shift})`,
    model: confoundedInTime.model,
  };
  return [...lessons, modelApi].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

export function outcomeBuckets(world: SessionsWorld): OutcomeBucket[] {
  const buckets = new Map<string, OutcomeBucket>();
  for (const event of world.events) {
    const { outcome, category } = event.data as LessonExposureRecordedData;
    const bucket = { model: outcome.model, test: category ?? 'uncategorised', hour: hourOf(event.metadata.occurredAt), passed: 0, failed: 0 };
    const key = `${bucket.model}|${bucket.test}|${bucket.hour}`;
    const found = buckets.get(key) ?? buckets.set(key, bucket).get(key)!;
    if (outcome.passed) found.passed += 1;
    else found.failed += 1;
  }
  return [...buckets.values()];
}
