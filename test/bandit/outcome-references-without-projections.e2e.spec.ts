/**
 * `POST /sessions/:id/outcome` in a process that never runs projections, on a database no other process
 * projects: eval outcome ids (which need the test-history read model) are refused at once with a 409 that says
 * what to do, instead of a 503 after waiting; (runId, test, model) references are read from the run stream and
 * define the reward.
 */
import request from 'supertest';
import type { SessionRewardObservedData } from '../../contracts/bandit.js';
import { buildEvalRunEvents, testOutcomeEventId } from '../../src/ingest/eval-run-events.js';
import { API_TOKENS, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createSimLessons, visibleThrough } from '../lifecycle/support/simulation.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const RUN = 'no-projections-run';
const durations = { total: 60, generation: 50, run: 5, eval: 5 };
const tokens = { input: 100, output: 50, total: 150, cacheRead: 0, cacheCreation: 0 };
const idOf = (test: string) => testOutcomeEventId(RUN, 'm1', null, test, 0);

describe('outcome references with LESSONLOOP_RUN_PROJECTIONS=never (HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    await createSimLessons(t.store, ['lesson-good']);
    const run = buildEvalRunEvents({
      runId: RUN,
      startedAt: '2026-01-01T00:00:00Z',
      source: 'test',
      outcomes: [
        { test: 't-a', model: 'm1', rawModel: 'm1', toolFormat: null, passed: true, durations, tokens },
        { test: 't-b', model: 'm1', rawModel: 'm1', toolFormat: null, passed: false, durations, tokens },
      ],
    });
    const [appended] = await t.store.appendMany([run]);
    await visibleThrough(t.store, appended!.position);
    // Selection works too: with the read models never built it folds the log.
    const selection = await request(t.http).post('/sessions/n1/lesson-selection').set('Authorization', WRITE_AUTH).send({ text: 'the deploy failed', seed: 'n1' }).expect(201);
    expect(selection.body.candidates.map((c: { lessonId: string }) => c.lessonId)).toEqual(['lesson-good']);
  }, 60_000);

  afterAll(async () => t?.close());

  const outcome = (body: object) => request(t.http).post('/sessions/n1/outcome').set('Authorization', WRITE_AUTH).send(body);

  it('refuses outcome ids at once with a 409 naming both ways out; nothing is appended', async () => {
    const started = Date.now();
    const refused = await outcome({ evalOutcomeIds: [idOf('t-a')] }).expect(409);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(refused.body.message).toContain('test-history read model, which has not been built in this database');
    expect(refused.body.message).toContain('LESSONLOOP_RUN_PROJECTIONS');
    expect(refused.body.message).toContain('evalOutcomes [{ runId, test, model }]');
    expect((await t.store.readStream('session-n1')).map((e) => e.type)).toEqual(['LessonArmsSampled']);
  }, 30_000);

  it('resolves (runId, test, model) references from the run stream: 1 of 2 passed', async () => {
    const unknown = await outcome({ evalOutcomes: [{ runId: RUN, test: 't-z', model: 'm1' }] }).expect(400);
    expect(unknown.body.problems).toEqual([{ field: 'evalOutcomes.0', reason: `run ${RUN} has no outcome of test t-z for model m1` }]);
    const response = await outcome({ evalOutcomes: [{ runId: RUN, test: 't-a', model: 'm1' }, { runId: RUN, test: 't-b', model: 'm1' }] }).expect(201);
    expect(response.body.reward).toBe(0.5);
    const reward = (await t.store.readStream('session-n1'))[1]!.data as SessionRewardObservedData;
    expect(reward.evalOutcomeIds).toEqual([idOf('t-a'), idOf('t-b')]);
  }, 30_000);
});
