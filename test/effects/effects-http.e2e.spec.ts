/**
 * Exposure over HTTP and the effect endpoints: unknown outcomes and lesson ids are a 400 with nothing written,
 * unknown paths are kept and listed, a repeated report records nothing, the read model answers per lesson and
 * ranked; a bandit session's reward with outcome references records their exposure with the coin's record.
 */
import request from 'supertest';
import type { LessonArmsSampledData } from '../../contracts/bandit.js';
import { exposureStreamId, type LessonExposureRecordedData } from '../../contracts/exposure.js';
import { buildEvalRunEvents, testOutcomeEventId } from '../../src/ingest/eval-run-events.js';
import { API_TOKENS, eventually, READ_AUTH, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createSimLessons, visibleThrough } from '../lifecycle/support/simulation.js';
import { register as registerEffects } from '../../src/cli/commands/effects.command.js';
import { register as registerReanalyze } from '../../src/cli/commands/reanalyze.command.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const RUN = 'exposure-run';
const durations = { total: 60, generation: 50, run: 5, eval: 5 };
const tokens = { input: 100, output: 50, total: 150, cacheRead: 0, cacheCreation: 0 };
const idOf = (test: string) => testOutcomeEventId(RUN, 'm1', null, test, 0);
const TESTS = ['t0', 't1', 't2', 't3', 't4', 't5'];

describe('exposure and effects (HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    await createSimLessons(t.store, ['lesson-a', 'lesson-b']);
    const run = buildEvalRunEvents({
      runId: RUN,
      startedAt: '2026-01-01T00:00:00Z',
      source: 'test',
      outcomes: TESTS.map((test, i) => ({ test, model: 'm1', rawModel: 'm1', toolFormat: null, passed: i % 3 !== 2, durations, tokens })),
    });
    const [appended] = await t.store.appendMany([run]);
    await visibleThrough(t.store, appended!.position);
  }, 60_000);

  afterAll(async () => t?.close());

  const post = (body: object) => request(t.http).post('/exposures').set('Authorization', WRITE_AUTH).send(body);
  const coinIn = { lessonId: 'lesson-a', holdoutRate: 0.5 };
  const coinOut = { lessonId: 'lesson-a', withheldBy: 'coin', holdoutRate: 0.5 };

  it('refuses an unknown lesson id or outcome, naming each, and writes nothing', async () => {
    const unknownOutcome = '00000000-0000-4000-8000-000000000000';
    const refused = await post({
      exposures: [
        { outcomeEventId: idOf('t0'), injected: [{ lessonId: 'no-such-lesson' }], withheld: [] },
        { outcomeEventId: unknownOutcome, injected: [coinIn], withheld: [] },
      ],
    }).expect(400);
    expect(refused.body.problems).toEqual([
      { field: 'exposures.1.outcomeEventId', reason: `no TestOutcomeRecorded event has id ${unknownOutcome}` },
      { field: 'exposures.0.injected.0.lessonId', reason: 'no lesson has id no-such-lesson' },
    ]);
    expect(await t.store.readStream(exposureStreamId(idOf('t0')))).toEqual([]);
    await post({ exposures: [{ outcomeEventId: idOf('t0'), withheld: [{ lessonId: 'lesson-a', withheldBy: 'coin' }] }] }).expect(400);
  });

  it('records exposures once per source, keeps unknown paths, and answers effects from the read model', async () => {
    const exposures = TESTS.map((test, i) => ({
      outcomeEventId: idOf(test),
      category: 'deploy',
      injected: i < 3 ? [coinIn] : [],
      withheld: [...(i < 3 ? [] : [coinOut]), { path: 'lessons/not-yet.md', withheldBy: 'unknown' }],
    }));
    const first = await post({ source: 'harness-x', exposures }).expect(201);
    expect(first.body).toMatchObject({ recorded: 6, alreadyRecorded: 0 });
    expect(first.body.exposures[0].unresolvedPaths).toEqual(['lessons/not-yet.md']);
    const again = await post({ source: 'harness-x', exposures }).expect(201);
    expect(again.body).toMatchObject({ recorded: 0, alreadyRecorded: 6 });
    expect(await t.store.readStream(exposureStreamId(idOf('t1')))).toHaveLength(1);
    // Another source for t1: its event names what the first named, and t1 still counts once for lesson-a.
    await post({ source: 'harness-y', exposures: [exposures[1]] }).expect(201);
    const [x, y] = (await t.store.readStream(exposureStreamId(idOf('t1')))).map((e) => e.data as LessonExposureRecordedData);
    expect([x!.namedEarlier, y!.namedEarlier]).toEqual([[], [expect.objectContaining({ lessonId: 'lesson-a' }), { path: 'lessons/not-yet.md' }]]);

    // t0..t2 injected (passed: t0, t1), t3..t5 coin-withheld (passed: t3, t4): 2/3 - 2/3 = 0.
    const effect = await eventually(async () => {
      const answer = await request(t.http).get('/lessons/lesson-a/effect?method=randomized-holdout').set('Authorization', READ_AUTH).expect(200);
      expect(answer.body.estimates['randomized-holdout'].n).toBe(6);
      return answer.body;
    });
    const randomized = effect.estimates['randomized-holdout'];
    expect(randomized).toMatchObject({ observational: false, effect: 0, treated: { n: 3, passes: 2 }, control: { n: 3, passes: 2 }, significant: false });
    expect(randomized.strata).toEqual([{ key: 'm1|deploy', treated: { n: 3, passes: 2 }, control: { n: 3, passes: 2 } }]);
    expect([...randomized.evidence.eventIds].sort()).toEqual(TESTS.map(idOf).sort());
    expect(randomized.fisherP).toBeCloseTo(1, 10);
    // The only lesson with exposure is a family of one: q = p.
    expect(randomized.p).toBeCloseTo(1, 10);
    expect(randomized).toMatchObject({ q: randomized.p, discovery: false });

    const before = await request(t.http).get('/lessons/lesson-a/effect?asOf=2025-01-01T00:00:00Z').set('Authorization', READ_AUTH).expect(200);
    expect(before.body.estimates['randomized-holdout'].n).toBe(0);
    await request(t.http).get('/lessons/lesson-a/effect?method=coin-flip').set('Authorization', READ_AUTH).expect(400);

    const list = await request(t.http).get('/effects?sort=n&limit=1').set('Authorization', READ_AUTH).expect(200);
    expect(list.body).toMatchObject({ method: 'randomized-holdout', total: 1, items: [{ lessonId: 'lesson-a', n: 6 }] });
    expect(list.body.items[0]).not.toHaveProperty('evidence');
    expect(list.body.items[0]).toMatchObject({ p: randomized.p, q: randomized.q });
    const unresolved = await request(t.http).get('/exposures/unresolved').set('Authorization', READ_AUTH).expect(200);
    expect(unresolved.body.paths).toEqual([{ path: 'lessons/not-yet.md', outcomes: 6 }]);

    const printed = await runCommandOnApp([registerEffects], t.app, ['effects', '--sort', 'n']);
    expect(printed.split('\n')[1]).toBe(['Deploy lesson lesson-a', 'lesson-a', 'randomized-holdout', '6', '0.000', '[-0.754, 0.754]', '1.0000', '1.0000', 'no', 'randomized'].join('\t'));
    const json = JSON.parse(await runCommandOnApp([registerEffects], t.app, ['effects', '--lesson', 'lesson-a', '--format', 'json']));
    expect(Object.keys(json.estimates).sort()).toEqual(['ipw', 'pooled-loo', 'randomized-holdout', 'stratified-loo']);

    // ?evidence=false: the same estimates, computed from the counts alone, without the evidence lists.
    const full = await request(t.http).get('/lessons/lesson-a/effect').set('Authorization', READ_AUTH).expect(200);
    const bare = await request(t.http).get('/lessons/lesson-a/effect?evidence=false').set('Authorization', READ_AUTH).expect(200);
    const withoutEvidence = (estimates: Record<string, { evidence?: unknown }>) =>
      Object.fromEntries(Object.entries(estimates).map(([method, { evidence: _evidence, ...rest }]) => [method, rest]));
    expect(full.body.estimates['randomized-holdout'].evidence.eventIds).toHaveLength(6);
    expect(bare.body.estimates).toEqual(withoutEvidence(full.body.estimates));
    expect(bare.body.estimates['randomized-holdout']).not.toHaveProperty('evidence');
    await request(t.http).get('/lessons/lesson-a/effect?evidence=no').set('Authorization', READ_AUTH).expect(400);
  });

  it("records a bandit session's outcomes as exposure, with the coin's rate and the inclusion probabilities", async () => {
    const selection = await request(t.http).post('/sessions/x1/lesson-selection').set('Authorization', WRITE_AUTH).send({ text: 'the deploy failed', seed: 'x1' }).expect(201);
    const sampled = selection.body as LessonArmsSampledData;
    expect(sampled.holdout.rate).toBe(0.1);
    expect(sampled.inclusion).toMatchObject({ method: 'monte-carlo', draws: 1000 });
    expect(sampled.candidates.map((c) => c.inclusionProbability)).toEqual([1, 1]);
    await request(t.http).post('/sessions/x1/outcome').set('Authorization', WRITE_AUTH).send({ evalOutcomeIds: [idOf('t5')] }).expect(201);
    const stream = await t.store.readStream(exposureStreamId(idOf('t5')));
    const fromSession = stream.find((e) => e.metadata.source === 'session:x1')!.data as LessonExposureRecordedData;
    const named = [...fromSession.injected.map((e) => e.lessonId), ...fromSession.withheld.map((e) => e.lessonId)].sort();
    expect(named).toEqual(['lesson-a', 'lesson-b']);
    for (const e of fromSession.injected) expect(e).toMatchObject({ holdoutRate: 0.1, propensity: 0.9 });
    for (const e of fromSession.withheld) expect(e).toMatchObject({ withheldBy: 'coin', holdoutRate: 0.1, propensity: 0.9 });
  });

  it('takes exposure in the POST /eval-runs body: same events as POST /exposures, revision filled, nothing half-written', async () => {
    const run = (runId: string, lessonId: string) => ({
      runId,
      startedAt: '2026-06-01T00:00:00Z',
      outcomes: ['u0', 'u1'].map((test, i) => ({
        model: 'm1', test, passed: i === 0,
        lessons: { category: 'deploy', injected: i === 0 ? [{ lessonId, holdoutRate: 0.5 }] : [], withheld: i === 1 ? [{ lessonId, withheldBy: 'coin', holdoutRate: 0.5 }] : [] },
      })),
    });
    const postRun = (body: object) => request(t.http).post('/eval-runs').set('Authorization', WRITE_AUTH).send(body);
    const refused = await postRun(run('run-bad-lesson', 'no-such-lesson')).expect(400);
    expect(refused.body.problems).toEqual(expect.arrayContaining([{ row: 0, field: 'lessons.injected.0.lessonId', reason: 'no lesson has id no-such-lesson' }]));
    expect(await t.store.readStream('eval-run-run-bad-lesson')).toEqual([]);

    const first = await postRun(run('run-with-lessons', 'lesson-b')).expect(201);
    expect(first.body.exposure).toEqual({ recorded: 2, alreadyRecorded: 0, unresolvedPaths: [] });
    const u0 = testOutcomeEventId('run-with-lessons', 'm1', null, 'u0', 0);
    const [event] = await t.store.readStream(exposureStreamId(u0));
    // The lesson's stream had one event (revision 0) before the run started: the revision in force.
    expect((event!.data as LessonExposureRecordedData).injected).toEqual([{ lessonId: 'lesson-b', holdoutRate: 0.5, revision: 0 }]);
    expect(event!.metadata).toMatchObject({ source: 'api', occurredAt: '2026-06-01T00:00:00Z' });

    const again = await postRun(run('run-with-lessons', 'lesson-b')).expect(200);
    expect(again.body).toMatchObject({ status: 'already-recorded', exposure: { recorded: 0, alreadyRecorded: 2 } });
    const u1 = testOutcomeEventId('run-with-lessons', 'm1', null, 'u1', 0);
    const viaExposures = await post({ exposures: [{ outcomeEventId: u1, category: 'deploy', withheld: [{ lessonId: 'lesson-b', withheldBy: 'coin', holdoutRate: 0.5 }] }] }).expect(201);
    expect(viaExposures.body).toMatchObject({ recorded: 0, alreadyRecorded: 1 });
  });

  it('answers a repeated effect request with the same bytes until the read model moves, then afresh', async () => {
    const get = () => request(t.http).get('/lessons/lesson-b/effect?method=randomized-holdout').set('Authorization', READ_AUTH).expect(200);
    const nOf = (answer: request.Response) => answer.body.estimates['randomized-holdout'].n as number;
    // u0 (coin-injected), u1 (coin-withheld) from the run body, t5 from the bandit session.
    const first = await eventually(async () => {
      const answer = await get();
      expect(nOf(answer)).toBe(3);
      return answer;
    });
    const repeated = await get();
    expect(repeated.headers.etag).toBe(first.headers.etag);
    expect(repeated.text).toBe(first.text);
    await post({ source: 'harness-y', exposures: [{ outcomeEventId: idOf('t2'), category: 'deploy', injected: [{ lessonId: 'lesson-b', holdoutRate: 0.5 }] }] }).expect(201);
    const moved = await eventually(async () => {
      const answer = await get();
      expect(nOf(answer)).toBe(4);
      return answer;
    });
    expect(moved.headers.etag).not.toBe(first.headers.etag);
  });

  it('compares lesson effects under two rule sets side by side (GET /analyses/compare, reanalyze --compare)', async () => {
    // Pooled strata and Benjamini-Yekutieli: lesson-a's counts sit in one stratum, so its estimate is the same.
    await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH)
      .send({ ruleSetId: 'effects-pooled', name: 'pooled strata', parameters: { effectStrata: 'none', effectFdrMethod: 'by' } }).expect(201);
    const compared = await eventually(async () => {
      const answer = await request(t.http).get('/analyses/compare?a=default&b=effects-pooled').set('Authorization', READ_AUTH).expect(200);
      expect(answer.body.effects.built).toBe(true);
      expect(answer.body.effects.rows.find((r: { lessonId: string }) => r.lessonId === 'lesson-a').b.n).toBe(6);
      return answer.body;
    });
    const row = compared.effects.rows.find((r: { lessonId: string; method: string }) => r.lessonId === 'lesson-a' && r.method === 'randomized-holdout');
    expect(row).toMatchObject({ a: { effect: 0, n: 6 }, b: { effect: 0, n: 6 }, differs: null });
    expect(compared.summary.effectsDiffer).toBe(compared.effects.rows.filter((r: { differs: string | null }) => r.differs !== null).length);
    const printed = await runCommandOnApp([registerReanalyze], t.app, ['reanalyze', '--compare', 'default', 'effects-pooled']);
    expect(printed).toMatch(/Effects \(a \| b\), \d+ differ:/);
    expect(printed).toContain('  lesson-a randomized-holdout: 0.000 [-0.754, 0.754] n 6 q ');
  });
});
