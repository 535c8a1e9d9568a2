/**
 * The whole app for /lessons e2e specs, with the lesson projections running. The app does not run a
 * projection engine of its own yet, so this starts one for the lesson read models on the app's database
 * (if the app starts running them itself, the two engines share the work through the instance leases).
 */
import { lessonProjections } from '../../../projections/lessons/lesson-projections.js';
import { ProjectionEngine } from '../../../src/projection-engine/projection-engine.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { API_TOKENS } from '../../ingest-http/http-test-support.js';

export interface LessonTestApp extends TestApp {
  engine: ProjectionEngine;
}

const FAST = { batchSize: 500, readBatchSize: 500, leaseTtlMs: 2000, pollIntervalMs: 50, failedPollMs: 200, instanceCheckMs: 500 };

export async function createLessonTestApp(): Promise<LessonTestApp> {
  const t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
  const engine = new ProjectionEngine({
    sql: t.sql,
    store: t.store,
    projections: [...lessonProjections],
    options: { processor: FAST, reconcileIntervalMs: 200 },
  });
  try {
    await engine.start();
  } catch (error) {
    await t.close();
    throw error;
  }
  return {
    ...t,
    engine,
    async close() {
      await engine.stop();
      await t.close();
    },
  };
}
