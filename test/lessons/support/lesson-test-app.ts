/**
 * The whole app for /lessons e2e specs, with the lesson projections running. The app does not run a
 * projection engine of its own yet, so this starts one for the lesson read models on the app's database
 * (if the app starts running them itself, the two engines share the work through the instance leases).
 */
import { lessonProjections } from '../../../projections/lesson-projections.js';
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

/** Waits until every lesson projection has processed everything in the store now (throws when one failed). */
export async function lessonReadModelsCaughtUp(t: LessonTestApp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = (await t.engine.status()).filter((s) => s.current && lessonProjections.some((p) => p.name === s.name));
    const failed = statuses.find((s) => s.state === 'failed');
    if (failed) throw new Error(`${failed.instanceId} failed: ${JSON.stringify(failed.error)}`);
    if (statuses.length === lessonProjections.length && statuses.every((s) => s.lag?.events === 0)) return;
    if (Date.now() > deadline) throw new Error(`lesson read models did not catch up: ${JSON.stringify(statuses.map((s) => [s.instanceId, s.state, s.lag]))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
