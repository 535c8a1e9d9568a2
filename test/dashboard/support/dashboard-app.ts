/**
 * The app with data for the dashboard specs: the gptme-mini runs imported, two external changes, two
 * lessons (one edited then archived, one rewarded in four sessions and flagged for mutation), all projections running in the app;
 * `url` is the listening origin.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { newEvent } from '../../../contracts/catalogue.js';
import { DEFAULT_POLICY_RULE_SET_ID } from '../../../projections/bandit/bandit-rules.js';
import { withCatalogue } from '../../../src/event-store/catalogue-event-store.js';
import { importResults } from '../../../src/ingest/import-results.js';
import { mutationFlagStreamId } from '../../../src/lifecycle/policy/policy-dispatcher.js';
import { API_TOKENS, READ_AUTH, WRITE_AUTH } from '../../ingest-http/http-test-support.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { loadDraftsWorld } from './drafts-world.js';
import { exposeAffected, loadWindowWorld } from './window-world.js';

export const GPTME_MINI = path.resolve(process.cwd(), 'test/fixtures/gptme-mini/valid');

export interface DashboardApp extends TestApp {
  url: string;
}

export interface DashboardAppOptions {
  /** `evals`: the gptme-mini runs only; true: runs, external changes, lessons and rewards; `windows`: window-world.ts and drafts-world.ts. */
  withData: boolean | 'evals' | 'windows';
  /** LESSONLOOP_REQUIRE_READ_TOKEN=true: every read needs READ_AUTH (or WRITE_AUTH). */
  requireReadToken?: boolean;
}

export async function startDashboardApp(options: DashboardAppOptions): Promise<DashboardApp> {
  const env = { LESSONLOOP_RUN_PROJECTIONS: 'always', LESSONLOOP_API_TOKENS: API_TOKENS, ...(options.requireReadToken ? { LESSONLOOP_REQUIRE_READ_TOKEN: 'true' } : {}) };
  const t = await createTestApp({ env });
  try {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.http.address() as AddressInfo;
    if (options.withData === 'windows') {
      // Drafts first: detection then reads only the drafts world's failures, not the window world's (whose logs are missing).
      await loadDraftsWorld(t);
      const runs = await loadWindowWorld(t);
      await waitForProjections(t);
      await exposeAffected(t, runs);
      await waitForProjections(t);
    } else if (options.withData === 'evals') {
      await importResults(withCatalogue(t.store), GPTME_MINI);
      await waitForProjections(t);
    } else if (options.withData) await loadData(t);
    return { ...t, url: `http://127.0.0.1:${port}` };
  } catch (error) {
    await t.close();
    throw error;
  }
}

async function loadData(t: TestApp): Promise<void> {
  await importResults(withCatalogue(t.store), GPTME_MINI);
  const changes = [
    { changeId: 'gpt-4o-update', kind: 'model-api', subject: 'openai/gpt-4o', description: 'gpt-4o snapshot update', occurredAt: '2025-01-15T00:00:00Z' },
    { changeId: 'harness-0-27', kind: 'harness', subject: 'gptme', description: 'gptme 0.27 released', occurredAt: '2026-03-01T00:00:00Z' },
  ];
  for (const change of changes) await request(t.http).post('/external-changes').set('Authorization', WRITE_AUTH).send(change).expect(201);
  const lessons = [
    { lessonId: 'quote-paths', title: 'Quote Shell Paths', category: 'tools', body: '# Quote Shell Paths', match: { keywords: ['path with spaces'] } },
    { lessonId: 'small-commits', title: 'Small Commits', category: 'workflow', body: '# Small Commits', match: { keywords: ['commit'] } },
  ];
  for (const lesson of lessons) await request(t.http).post('/lessons').set('Authorization', WRITE_AUTH).send(lesson).expect(201);
  await request(t.http).patch('/lessons/small-commits').set('Authorization', WRITE_AUTH).set('If-Match', '"0"')
    .send({ title: 'Small, Focused Commits', status: { to: 'archived', reason: 'superseded by a review-size lesson' } }).expect(200);
  // Sessions that used quote-paths, with their rewards, a little apart: its posterior moves over time.
  const rewards = [1, 1, 0, 1];
  for (const [i, reward] of rewards.entries()) {
    const session = await sessionSelecting(t, 'quote-paths', `dash-s${i}`);
    await request(t.http).post(`/sessions/${session}/outcome`).set('Authorization', WRITE_AUTH).send({ reward }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await flagForMutation(t, 'quote-paths');
  await waitForProjections(t);
  await waitFor(async () => {
    const res = await request(t.http).get('/lessons/quote-paths/posterior').set('Authorization', READ_AUTH);
    return res.status === 200 && res.body.arms[0]?.n === rewards.length;
  }, 'the quote-paths rewards are not readable');
}

/**
 * A policy flag for mutation as the lifecycle policy writes it (stream, deciding rule set, evidence citing the
 * rewards); the policy's own rule needs far more rewards than a dashboard fixture holds.
 */
async function flagForMutation(t: TestApp, lessonId: string): Promise<void> {
  const rewards = (await t.store.readAll({ maxCount: 10_000 })).filter((e) => e.type === 'SessionRewardObserved');
  const event = newEvent('LessonFlaggedForMutation', {
    lessonId,
    reason: 'stalled-middle-band',
    explanation: 'mean 0.667 stayed between 0.4 and 0.6 ... (fixture)',
    decidedBy: 'policy',
    ruleSetId: DEFAULT_POLICY_RULE_SET_ID,
    ruleSetVersion: 1,
    evidence: {
      numbers: { mean: 0.667, n: rewards.length },
      eventIds: rewards.map((e) => e.eventId),
      globalPositions: rewards.map((e) => e.globalPosition.toString()),
      rule: 'flag-stalled-middle-band',
    },
  }, { occurredAt: new Date().toISOString(), source: 'policy', actor: `policy:${DEFAULT_POLICY_RULE_SET_ID}` });
  await withCatalogue(t.store).appendToStream(mutationFlagStreamId(lessonId), [event]);
}

/**
 * A session whose selection includes the lesson. Selection finds lessons through read models that can lag the
 * writes (on PostgreSQL, other open transactions hold fresh commits back): a session that found nothing is
 * left unused and another one tried.
 */
async function sessionSelecting(t: TestApp, lessonId: string, prefix: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 0; ; attempt += 1) {
    const session = `${prefix}-${attempt}`;
    const selection = await request(t.http).post(`/sessions/${session}/lesson-selection`).set('Authorization', WRITE_AUTH)
      .send({ text: 'a path with spaces broke the build', seed: `${prefix}-seed` }).expect(201);
    const selected = (selection.body as { selected: string[] }).selected;
    if (selected.includes(lessonId)) return session;
    if (Date.now() > deadline) throw new Error(`${lessonId} is never selected: ${JSON.stringify(selection.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Until every projection instance of the app reports no lag (GET /projections). */
export async function waitForProjections(t: TestApp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(t.http).get('/projections').set('Authorization', READ_AUTH);
    if (res.status === 200 && isCaughtUp(res.body)) return;
    if (Date.now() > deadline) throw new Error(`projections did not catch up: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface InstancesBody {
  instances?: { current: boolean; state: string; lag: { events: number } | null }[];
}

function isCaughtUp(body: InstancesBody): boolean {
  const current = (body.instances ?? []).filter((i) => i.current);
  return current.length > 0 && current.every((i) => i.state === 'live' && i.lag?.events === 0);
}
