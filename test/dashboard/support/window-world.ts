/**
 * A small world for the dashboard's drill-down views, written through the API (runs, an external change, a rule
 * set, exposures) and the store (a lesson created at a past event time):
 * - runs of two models (alpha in two tool formats) every 6 hours, 66 h either side of the lesson change at 2026-08-10 12:30Z, on two tests
 *   the lesson's keyword matches and two control tests; acme/alpha also ran three times in March (a long pause);
 * - a model-API change of acme/beta 10 h after the lesson change: under the default rules (24 h confound window)
 *   the experiment is confounded through beta only; rule set `narrow` (6 h, 48 h windows) calls it isolated;
 * - beta's ctrl-sort passes in every run but the last (a regression by gptme's rules);
 * - exposures of affected outcomes after the change: coin-injected or coin-withheld (randomized holdout), also the
 *   injection gate's data.
 */
import request from 'supertest';
import { newEvent } from '../../../contracts/catalogue.js';
import { withCatalogue } from '../../../src/event-store/catalogue-event-store.js';
import { READ_AUTH, WRITE_AUTH } from '../../ingest-http/http-test-support.js';
import type { TestApp } from '../../support/test-app.js';

export const CHANGE_AT = '2026-08-10T12:30:00.000Z';
export const LESSON = { lessonId: 'quote-paths', title: 'Quote Shell Paths', path: 'tools/quote-shell-paths.md' };
export const AFFECTED = ['quote-path-spaces', 'quote-path-glob'];
export const CONTROL = ['ctrl-sort', 'ctrl-fizz'];
export const MODELS = [{ model: 'acme/alpha', toolFormat: 'markdown' }, { model: 'acme/alpha', toolFormat: 'xml' }, { model: 'acme/beta', toolFormat: 'tool' }] as const;
export const BETA_CHANGE = { changeId: 'beta-api-update', kind: 'model-api', subject: 'acme/beta', description: 'beta endpoint update', occurredAt: '2026-08-10T22:30:00Z' };
export const NARROW = { ruleSetId: 'narrow', name: 'narrow windows', parameters: { confoundWindowHours: 6, experimentWindowHours: 48 } };

const HOUR = 3_600_000;
const runId = (at: number) => `w${new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 13)}`;

/** Whether an outcome passes: affected tests pass half the time before the change, always after (beta: half). */
function passes(model: string, test: string, k: number, after: boolean, fromLast: number): boolean {
  // Passing every time but the last: a regression by gptme's rules (a test passing 10-90% of the time is flaky instead).
  if (model === 'acme/beta' && test === 'ctrl-sort') return fromLast !== 0;
  if (CONTROL.includes(test)) return (k + test.length) % 3 !== 0;
  if (!after) return (k + test.length) % 2 === 0;
  return model === 'acme/alpha' ? true : (k + test.length) % 2 === 1;
}

function outcome(model: string, toolFormat: string, test: string, passed: boolean, k: number) {
  const tokens = 1000 + 37 * k + test.length;
  return {
    model, toolFormat, test, passed,
    tokensInput: tokens - 200, tokensOutput: 200, tokensTotal: tokens, cacheReadTokens: 0, cacheCreationTokens: 0,
    costUsd: Number((tokens * 0.000002).toFixed(6)),
    totalDuration: 20 + (k % 5), generationTime: 15, runTime: 3 + (k % 5), evalTime: 2,
    logDir: `/logs/${model.replace('/', '-')}/${test}/${k}`,
    cases: [{ name: `${test}-compiles`, passed: true, durationS: 1.5 }, { name: `${test}-output`, passed, durationS: 2.5 }],
  };
}

export async function loadWindowWorld(t: TestApp): Promise<string[]> {
  const change = Date.parse(CHANGE_AT);
  const times = [...Array.from({ length: 3 }, (_, i) => Date.parse('2026-03-02T00:00:00Z') + i * 6 * HOUR)];
  for (let h = -66; h <= 66; h += 6) times.push(change - 30 * 60_000 + h * HOUR);
  const runs: string[] = [];
  for (const [k, at] of times.entries()) {
    const march = k < 3;
    const outcomes = MODELS.filter((m) => !march || m.toolFormat === 'markdown').flatMap((m) =>
      [...AFFECTED, ...CONTROL].map((test) => outcome(m.model, m.toolFormat, test, passes(m.model, test, k, at > change, times.length - 1 - k), k)));
    const id = runId(at);
    runs.push(id);
    await request(t.http).post('/eval-runs').set('Authorization', WRITE_AUTH)
      .send({ runId: id, startedAt: new Date(at).toISOString(), suite: 'windows', outcomes }).expect(201);
  }
  await request(t.http).post('/external-changes').set('Authorization', WRITE_AUTH).send(BETA_CHANGE).expect(201);
  await withCatalogue(t.store).appendToStream(`lesson-${LESSON.lessonId}`, [newEvent('LessonCreated', {
    lessonId: LESSON.lessonId, path: LESSON.path, title: LESSON.title, category: 'tools', body: `# ${LESSON.title}\n`, status: 'active',
    match: { keywords: ['quote-path'], patterns: [], tools: [], sessionCategories: [] },
  }, { occurredAt: CHANGE_AT, source: 'test' })]);
  await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH).send(NARROW).expect(201);
  return runs;
}

/**
 * Coin exposures of the affected outcomes (alpha in markdown, beta) after the change: every other one withheld,
 * alternating run by run, so each (model, test) pair of the injection gate has outcomes on both sides.
 */
export async function exposeAffected(t: TestApp, runs: string[]): Promise<number> {
  const after = runs.filter((id) => id > runId(Date.parse(CHANGE_AT)));
  const exposures: unknown[] = [];
  for (const [r, id] of after.entries()) {
    const run = await request(t.http).get(`/eval-runs/${id}`).set('Authorization', READ_AUTH).expect(200);
    const mine = (run.body.outcomes as { eventId: string; model: string; toolFormat: string; test: string }[])
      .filter((o) => o.toolFormat !== 'xml' && AFFECTED.includes(o.test));
    for (const [i, o] of mine.entries()) {
      const coin = { lessonId: LESSON.lessonId, holdoutRate: 0.5 };
      exposures.push((i + r) % 2 === 0
        ? { outcomeEventId: o.eventId, category: 'tools', injected: [coin], withheld: [] }
        : { outcomeEventId: o.eventId, category: 'tools', injected: [], withheld: [{ ...coin, withheldBy: 'coin' }] });
    }
  }
  await request(t.http).post('/exposures').set('Authorization', WRITE_AUTH).send({ source: 'dashboard-spec', exposures }).expect(201);
  return exposures.length;
}
