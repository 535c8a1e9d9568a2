/**
 * The bandit and audit endpoints through the whole app: selection and outcome (write scope), posterior at
 * now and at a past instant, audit of a human archive (actor and reason), counterfactual under the defaults.
 */
import request from 'supertest';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { loadLesson, toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { API_TOKENS, eventually, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createSimLessons, visibleThrough } from '../lifecycle/support/simulation.js';

describe('bandit and audit HTTP endpoints', () => {
  let t: TestApp;
  /** The session the first test rewards (the second test audits it). */
  let rewarded = '';

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    await createSimLessons(t.store);
  }, 60_000);

  afterAll(async () => t?.close());

  it('selects by Thompson sampling, records the reward once, and serves the posterior now and as of before the reward', async () => {
    await request(t.http).post('/sessions/s1/lesson-selection').send({ text: 'deploy' }).expect(401);
    // The holdout coin (server-drawn seed, rate 0.1) withholds each chosen lesson with probability 0.1; this test
    // follows the first session whose coin withheld none (all three withheld-free: 0.729 a try, 30 tries).
    let selection: request.Response | undefined;
    for (let attempt = 1; attempt <= 30 && !selection; attempt += 1) {
      const response = await request(t.http)
        .post(`/sessions/s${attempt}/lesson-selection`)
        .set('Authorization', WRITE_AUTH)
        .send({ text: 'the deploy failed', model: 'm1', category: 'workflow', seed: 'fixed' })
        .expect(201);
      if (response.body.selected.length === 3) {
        selection = response;
        rewarded = `s${attempt}`;
      }
    }
    if (!selection) throw new Error('the holdout coin withheld a lesson in 30 sessions in a row');
    expect(selection.body.candidates.map((c: { lessonId: string }) => c.lessonId).sort()).toEqual(['lesson-bad', 'lesson-good', 'lesson-medium']);
    expect(selection.body.selected).toHaveLength(3);
    expect(selection.body).toMatchObject({ seed: 'fixed', policy: { ruleSetId: 'lifecycle-default', version: 1 } });
    const stored = await t.store.readStream(`session-${rewarded}`);
    expect(stored.map((e) => e.type)).toEqual(['LessonArmsSampled']);

    await request(t.http).post(`/sessions/${rewarded}/outcome`).set('Authorization', WRITE_AUTH).send({ reward: 2 }).expect(400);
    await request(t.http).post('/sessions/nope/outcome').set('Authorization', WRITE_AUTH).send({ reward: 1 }).expect(404);
    await request(t.http).post(`/sessions/${rewarded}/outcome`).set('Authorization', WRITE_AUTH).send({ reward: 1 }).expect(201);
    await request(t.http).post(`/sessions/${rewarded}/outcome`).set('Authorization', WRITE_AUTH).send({ reward: 0 }).expect(409);

    // Reads are eventually consistent: on PostgreSQL another session's open transaction can hold a fresh commit back.
    const now = await eventually(async () => {
      const response = await request(t.http).get('/lessons/lesson-good/posterior').expect(200);
      if (response.body.arms[0].n !== 1) throw new Error('the reward is not readable yet');
      return response;
    }, 60_000);
    expect(now.body.arms[0]).toMatchObject({ armKey: 'lesson-good', alpha: 2, beta: 1, n: 1 });
    expect(now.body.arms.map((a: { armKey: string }) => a.armKey)).toEqual(['lesson-good', 'lesson-good|category=workflow', 'lesson-good|model=m1']);
    expect(now.body.arms[0].lower).toBeLessThan(now.body.arms[0].mean);
    const before = await request(t.http).get('/lessons/lesson-good/posterior').query({ asOf: '2000-01-01T00:00:00Z' }).expect(200);
    expect(before.body.arms[0]).toMatchObject({ alpha: 1, beta: 1, n: 0 });
    await request(t.http).get('/lessons/lesson-good/posterior').query({ asOf: 'yesterday' }).expect(400);
  }, 120_000);

  it('audits a human archive with its actor and reason; counterfactual under the defaults; 404s', async () => {
    const loaded = await loadLesson(t.store, 'lesson-bad');
    const drafts = decideLesson(loaded.state, { kind: 'change-status', to: 'archived', reason: 'superseded by lesson-good' });
    const archived = await t.store.appendToStream(lessonStreamId('lesson-bad'), toNewEvents(drafts, { occurredAt: new Date().toISOString(), source: 'api', actor: 'alice' }), {
      expectedRevision: loaded.expectedRevision,
    });
    await visibleThrough(t.store, archived.position);
    const audit = await request(t.http).get('/lessons/lesson-bad/audit').query({ ruleSet: 'lifecycle-default' }).expect(200);
    expect(audit.body.statusChanges).toHaveLength(1);
    expect(audit.body.statusChanges[0]).toMatchObject({
      decision: { from: 'active', to: 'archived', decidedBy: 'human', actor: 'alice', reason: 'superseded by lesson-good' },
      rule: null,
    });
    expect(audit.body.statusChanges[0].trajectory).toHaveLength(1);
    expect(audit.body.statusChanges[0].trajectory[0]).toMatchObject({ sessionId: rewarded, reward: 1, evalOutcomeIds: [] });
    expect(audit.body.counterfactual).toMatchObject({ ruleSetId: 'lifecycle-default', wouldArchive: false, actuallyArchived: { decidedBy: 'human' } });
    await request(t.http).get('/lessons/lesson-bad/audit').query({ ruleSet: 'no-such-rules' }).expect(404);
    await request(t.http).get('/lessons/no-such-lesson/audit').expect(404);
  });
});
