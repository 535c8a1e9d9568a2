/**
 * One compare answers "what would we have concluded, and which lessons would we have archived, under these rules":
 * a fixed reward sequence per lesson (hand-worked-rewards.ts: which rule set archives, promotes, expands or flags
 * which lesson on which reward, worked out by hand) and a longer trend (flip) window that relabels a test;
 * GET /analyses/compare and `lessonloop reanalyze --compare` name both.
 */
import { jest } from '@jest/globals';
import request from 'supertest';
import { register } from '../../src/cli/commands/reanalyze.command.js';
import { catchUpEvalReadModels } from '../../src/eval-read-models/catch-up-eval-read-models.js';
import { catchUpExperimentInputs } from '../../src/experiments/experiment-inputs.js';
import { advanceLifecycleFold, lifecycleRules, newLifecycleFold, readPolicyEvents } from '../../src/rule-set-analyses/lifecycle-compare.js';
import { RULE_FAMILIES } from '../../src/rule-set-families.js';
import { defineRuleSet } from '../../src/rule-sets/define-rule-set.js';
import { MAX_CACHED_LIFECYCLE_FOLDS, RuleSetCompareService } from '../../src/rule-set-analyses/rule-set-compare.service.js';
import { API_TOKENS } from '../ingest-http/http-test-support.js';
import { visibleThrough } from '../lifecycle/support/simulation.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { handWorld, RULES_A, RULES_B } from './hand-worked-rewards.js';
import { waitUntilReadable } from './wait-readable.js';

jest.setTimeout(120_000);

const LENIENT = { window: 10, ...RULES_A };
const STRICT = RULES_B;
const world = handWorld();
const reward = (lessonId: string, k: number) => world.rewardIds[lessonId]![k]!;
const MODEL = 'trend/model';

/** 20 runs, oldest first: `flip-test` fails the first 10 and passes the last 10; `steady` always passes. */
function trendOutcomes() {
  return Array.from({ length: 20 }, (_, i) => {
    const runId = `20260201_${String(i).padStart(2, '0')}0000Z`;
    const occurredAt = new Date(Date.UTC(2026, 1, 1, i)).toISOString();
    return {
      streamId: `eval-run-${runId}`,
      events: ['flip-test', 'steady'].map((test) => ({
        eventId: `00000000-0000-4000-8000-${String(i * 2 + (test === 'steady' ? 1 : 0)).padStart(12, '0')}`,
        type: 'TestOutcomeRecorded',
        schemaVersion: 2,
        data: { runId, test, model: MODEL, rawModel: MODEL, toolFormat: null, occurrence: 0, passed: test === 'steady' || i >= 10, suspectedInfraError: false },
        metadata: { occurredAt, source: 'test' },
      })),
    };
  });
}

describe('compare two rule sets: experiments, lifecycle decisions and trend labels', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    await t.store.appendMany(world.appends);
    const results = await t.store.appendMany(trendOutcomes());
    await visibleThrough(t.store, results[results.length - 1]!.position);
    await defineRuleSet(t.store, RULE_FAMILIES, { ruleSetId: 'lenient-short', name: 'lenient archive, short trend window', parameters: LENIENT });
    await defineRuleSet(t.store, RULE_FAMILIES, { ruleSetId: 'strict', name: 'strict archive, flags', parameters: STRICT });
    await waitUntilReadable(t.sql, t.store);
    await catchUpExperimentInputs(t.sql, t.store);
  });
  afterAll(async () => t?.close());

  it('the lifecycle fold goes on from where it stopped: two steps give the decisions of one pass', async () => {
    const { events } = await readPolicyEvents(t.store);
    const rules = lifecycleRules('strict', STRICT);
    const whole = advanceLifecycleFold(newLifecycleFold(), events, rules).outcomes;
    // The first half holds slow's five rewards and middling's first: slow alone is decided by then.
    const firstHalf = advanceLifecycleFold(newLifecycleFold(), events.slice(0, Math.floor(events.length / 2)), rules);
    expect([...firstHalf.outcomes.keys()]).toEqual(['slow']);
    expect(advanceLifecycleFold(firstHalf, events, rules).outcomes).toEqual(whole);
    expect([...whole.keys()].sort()).toEqual(['middling', 'proven', 'slow']);
  });

  it('names the trends instance that is not built and how to build it, then the relabelled test once both are', async () => {
    // `strict` leaves the trend rules alone: the default instance (there from the app's start) answers for it.
    const before = await request(t.http).get('/analyses/compare').query({ a: 'lenient-short', b: 'strict' }).expect(200);
    expect(before.body.trends).toEqual({
      built: false,
      notBuilt: [{ ruleSetId: 'lenient-short', projection: 'trends', build: 'lessonloop projections rebuild trends --rule-set lenient-short' }],
    });
    expect(before.body.summary.trendLabelsDiffer).toBeUndefined();

    await catchUpEvalReadModels(t.sql, t.store, { trendsRuleSet: 'lenient-short' });
    const res = await request(t.http).get('/analyses/compare').query({ a: 'lenient-short', b: 'strict' }).expect(200);
    // Window 10: the last 10 runs all pass, stable. Window 20: recent 5/5 against baseline 5/15, one-sided Fisher
    // p = C(10,5)C(10,0)/C(20,5) = 252/15504 = 0.016 < 0.05: an improvement. `steady` passes throughout: no change.
    expect(res.body.trends).toMatchObject({ built: true, instanceA: 'lenient-short', instanceB: null });
    expect(res.body.trends.rulesA.window).toBe(10);
    expect(res.body.trends.rulesB.window).toBe(20);
    expect(res.body.trends.differences).toEqual([{ model: MODEL, format: expect.any(String), test: 'flip-test', labelA: 'stable_pass', labelB: 'improvement' }]);
    expect(res.body.summary.trendLabelsDiffer).toBe(1);
    // GET /trends picks the instances the compare read: strict's own rules are the defaults, answered by the default instance.
    const label = async (ruleSet: string) => {
      const trendsRes = await request(t.http).get('/trends').query({ ruleSet, test: 'flip-test' }).expect(200);
      return { instance: trendsRes.body.instanceRuleSet, labels: trendsRes.body.items.map((e: { label: string }) => e.label) };
    };
    expect(await label('strict')).toEqual({ instance: null, labels: ['improvement'] });
    expect(await label('lenient-short')).toEqual({ instance: 'lenient-short', labels: ['stable_pass'] });

    const lifecycle = res.body.lifecycle.differences as { lessonId: string; decision: string; underA: { triggeringEventId: string } | null; underB: { triggeringEventId: string } | null; reason: string }[];
    expect(lifecycle.map((d) => [d.lessonId, d.decision, d.underA?.triggeringEventId ?? null, d.underB?.triggeringEventId ?? null])).toEqual([
      ['middling', 'flag-mutation', null, reward('middling', 6)],
      ['proven', 'promote', reward('proven', 4), reward('proven', 5)],
      ['proven', 'expand-keywords', reward('proven', 4), reward('proven', 5)],
      ['slow', 'archive', reward('slow', 5), reward('slow', 4)],
    ]);
    expect(lifecycle[3]!.reason).toMatch(/^archived under both, at .* under a and .* under b$/);
    expect(res.body.summary.lifecycleDiffers).toBe(4);
    expect(res.body.lifecycle.rulesA.archiveBelowMean).toBe(0.3);
    expect(res.body.lifecycle.rulesB.archiveBelowMean).toBe(0.4);
  });

  it(`keeps the folds of at most ${MAX_CACHED_LIFECYCLE_FOLDS} rule sets; an evicted one is folded again from the start with the same answer`, async () => {
    const service = t.app.get(RuleSetCompareService);
    const first = (await service.compare('default', 'strict')).lifecycle.differences;
    for (let i = 0; i < MAX_CACHED_LIFECYCLE_FOLDS; i += 1) {
      await defineRuleSet(t.store, RULE_FAMILIES, { ruleSetId: `lru-${i}`, name: `lru ${i}`, parameters: { archiveBelowMean: 0.1 + i / 100 } });
      await service.compare('default', `lru-${i}`);
    }
    expect(service.cachedFolds()).toHaveLength(MAX_CACHED_LIFECYCLE_FOLDS);
    expect(service.cachedFolds()).not.toContain('strict');
    expect((await service.compare('default', 'strict')).lifecycle.differences).toEqual(first);
    expect(service.cachedFolds().slice(-2)).toEqual(['default', 'strict']);
  });

  it('lessonloop reanalyze --compare prints the lifecycle and the trend differences', async () => {
    const out = await runCommandOnApp([register], t.app, ['reanalyze', '--compare', 'lenient-short', 'strict']);
    expect(out).toMatch(/Lifecycle:\n  middling: flagged for mutation under b \(at [^)]+\), not under a\n(  .*\n)*  slow: archived under both, at \S+ under a and \S+ under b\n/);
    expect(out).toContain('Trends (instance of lenient-short vs default instance):');
    expect(out).toMatch(new RegExp(`  ${MODEL} \\S+ flip-test: stable_pass -> improvement\\n`));
  });
});
