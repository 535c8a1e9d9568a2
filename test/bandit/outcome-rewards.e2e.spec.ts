/**
 * `POST /sessions/:id/outcome` with eval outcome references: the reward is computed from the referenced
 * TestOutcomeRecorded events (fraction passed, suspected infra errors excluded), the event records them with
 * their global positions, unknown references are a 400 naming each one with nothing appended, and the audit
 * lists the outcomes that moved the posterior.
 */
import request from 'supertest';
import type { SessionRewardObservedData } from '../../contracts/bandit.js';
import { buildEvalRunEvents, testOutcomeEventId } from '../../src/ingest/eval-run-events.js';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { loadLesson, toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { API_TOKENS, eventually, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createSimLessons, visibleThrough } from '../lifecycle/support/simulation.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const RUN = 'outcome-reward-run';
const durations = { total: 60, generation: 50, run: 5, eval: 5 };
const tokens = { input: 100, output: 50, total: 150, cacheRead: 0, cacheCreation: 0 };
const idOf = (test: string, rawModel = 'm1') => testOutcomeEventId(RUN, rawModel, null, test, 0);

describe('rewards defined by eval outcomes (HTTP)', () => {
  let t: TestApp;
  /** The session whose selection injected lesson-good. */
  let session = '';

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    await createSimLessons(t.store, ['lesson-good']);
    const run = buildEvalRunEvents({
      runId: RUN,
      startedAt: '2026-01-01T00:00:00Z',
      source: 'test',
      outcomes: [
        { test: 't-a', model: 'm1', rawModel: 'm1', toolFormat: null, passed: true, durations, tokens },
        { test: 't-b', model: 'm1', rawModel: 'm1', toolFormat: null, passed: false, durations, tokens },
        // Failed in 1 s with no tokens: a suspected infrastructure error.
        { test: 't-c', model: 'm1', rawModel: 'm1', toolFormat: null, passed: false, durations: { total: 1, generation: 0, run: 0, eval: 0 } },
        { test: 't-d', model: 'm1', rawModel: 'm1', toolFormat: null, passed: true, durations, tokens },
      ],
    });
    const [appended] = await t.store.appendMany([run]);
    await visibleThrough(t.store, appended!.position);
    // The holdout coin (server-drawn seed, rate 0.1) may withhold the lesson: the tests reward the first session
    // that injected it.
    for (let attempt = 1; attempt <= 30 && !session; attempt += 1) {
      const selection = await request(t.http)
        .post(`/sessions/e${attempt}/lesson-selection`)
        .set('Authorization', WRITE_AUTH)
        .send({ text: 'the deploy failed', seed: 'e1' })
        .expect(201);
      if ((selection.body as { selected: string[] }).selected.includes('lesson-good')) session = `e${attempt}`;
    }
    if (!session) throw new Error('the holdout coin withheld lesson-good in 30 sessions in a row');
  }, 60_000);

  afterAll(async () => t?.close());

  const outcome = (body: object) => request(t.http).post(`/sessions/${session}/outcome`).set('Authorization', WRITE_AUTH).send(body);

  it('refuses unknown references with one problem each, infra-only references and a disagreeing reward; nothing is appended', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const unknown = await outcome({ evalOutcomeIds: [idOf('t-a'), unknownId], evalOutcomes: [{ runId: RUN, test: 'no-such-test', model: 'm1' }, { runId: 'no-such-run', test: 't-a', model: 'm1' }] }).expect(400);
    expect(unknown.body.problems).toEqual([
      { field: 'evalOutcomeIds.1', reason: `no TestOutcomeRecorded event has id ${unknownId}` },
      { field: 'evalOutcomes.0', reason: `run ${RUN} has no outcome of test no-such-test for model m1` },
      { field: 'evalOutcomes.1', reason: 'run no-such-run has no outcome of test t-a for model m1' },
    ]);
    const infra = await outcome({ evalOutcomeIds: [idOf('t-c')] }).expect(400);
    expect(infra.body.problems).toEqual([{ field: 'evalOutcomeIds', reason: 'all 1 referenced outcome(s) are suspected infrastructure errors: they define no reward' }]);
    const disagreeing = await outcome({ reward: 1, evalOutcomeIds: [idOf('t-a'), idOf('t-b')] }).expect(400);
    expect(disagreeing.body.problems[0]).toMatchObject({ field: 'reward' });
    await outcome({}).expect(400);
    expect((await t.store.readStream(`session-${session}`)).map((e) => e.type)).toEqual(['LessonArmsSampled']);
  }, 60_000);

  it('computes the reward (2 of 3 counted passed, the infra error left out) and records the outcomes with their global positions', async () => {
    const response = await outcome({ evalOutcomeIds: [idOf('t-a'), idOf('t-b'), idOf('t-c')], evalOutcomes: [{ runId: RUN, test: 't-d', model: 'm1' }] }).expect(201);
    expect(response.body.reward).toBe(2 / 3);
    const stored = await t.store.readStream(`session-${session}`);
    const reward = stored[1]!.data as SessionRewardObservedData;
    const runEvents = await t.store.readStream(`eval-run-${RUN}`);
    const positionOf = (id: string) => runEvents.find((e) => e.eventId === id)!.globalPosition.toString();
    expect(reward.reward).toBe(2 / 3);
    expect(reward.evalOutcomeIds).toEqual([idOf('t-a'), idOf('t-b'), idOf('t-c'), idOf('t-d')]);
    expect(reward.fromOutcomes).toMatchObject({ counted: 3, passed: 2, infraErrorsExcluded: 1 });
    expect(reward.fromOutcomes!.outcomes.map((o) => [o.eventId, o.globalPosition, o.passed, o.suspectedInfraError])).toEqual([
      [idOf('t-a'), positionOf(idOf('t-a')), true, false],
      [idOf('t-b'), positionOf(idOf('t-b')), false, false],
      [idOf('t-c'), positionOf(idOf('t-c')), false, true],
      [idOf('t-d'), positionOf(idOf('t-d')), true, false],
    ]);

    const posterior = await eventually(async () => {
      const r = await request(t.http).get('/lessons/lesson-good/posterior').expect(200);
      if (r.body.arms[0].n !== 1) throw new Error('the reward is not readable yet');
      return r;
    }, 60_000);
    expect(posterior.body.arms[0]).toMatchObject({ n: 1 });
    expect(posterior.body.arms[0].alpha).toBeCloseTo(1 + 2 / 3, 12);
    expect(posterior.body.arms[0].beta).toBeCloseTo(1 + 1 / 3, 12);
  }, 60_000);

  it('the audit lists the eval outcomes that moved the posterior, with their global positions', async () => {
    const loaded = await loadLesson(t.store, 'lesson-good');
    const drafts = decideLesson(loaded.state, { kind: 'change-status', to: 'archived', reason: 'replaced' });
    const archived = await t.store.appendToStream(lessonStreamId('lesson-good'), toNewEvents(drafts, { occurredAt: new Date().toISOString(), source: 'api', actor: 'bob' }), {
      expectedRevision: loaded.expectedRevision,
    });
    await visibleThrough(t.store, archived.position);
    const audit = await request(t.http).get('/lessons/lesson-good/audit').expect(200);
    const change = audit.body.statusChanges[0];
    expect(change.trajectory).toHaveLength(1);
    expect(change.evalOutcomes.map((o: { eventId: string }) => o.eventId)).toEqual([idOf('t-a'), idOf('t-b'), idOf('t-c'), idOf('t-d')]);
    const runEvents = await t.store.readStream(`eval-run-${RUN}`);
    expect(change.evalOutcomes[3].globalPosition).toBe(runEvents.find((e) => e.eventId === idOf('t-d'))!.globalPosition.toString());
  }, 60_000);
});
