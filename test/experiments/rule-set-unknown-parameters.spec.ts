/**
 * A rule set parameter name that no rule family knows is refused when the rule set is defined (over HTTP and by
 * `lessonloop reanalyze --param`), naming the parameter, the known names and the closest one; nothing is
 * appended. A `RuleSetDefined` already in the log with such a name is still read as before (the name ignored).
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import request from 'supertest';
import { BANDIT_RULE_PARAMETERS, DEFAULT_BANDIT_RULES } from '../../projections/bandit/bandit-rules.js';
import { DEFAULT_EXPERIMENT_RULES } from '../../projections/experiments/experiment-rules.js';
import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import { DEFAULT_TRENDS_FDR_RULES } from '../../projections/eval/trends-false-discovery.js';
import { DEFAULT_STATISTICAL_RULES } from '../../projections/eval/trends.js';
import { register } from '../../src/cli/commands/reanalyze.command.js';
import { policyRules } from '../../src/lifecycle/policy/policy-rule-sets.js';
import { RULE_FAMILIES } from '../../src/rule-set-families.js';
import { ruleSetProblems } from '../../src/rule-sets/rule-set-problems.js';
import { readRuleSet } from '../../src/rule-sets/rule-set-stream.js';
import { API_TOKENS, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

jest.setTimeout(60_000);

const reasonOf = (parameters: Record<string, unknown>, field: string) => ruleSetProblems(RULE_FAMILIES, parameters).find((p) => p.field === field)?.reason;

const BANDIT_PARAMETER_DEFAULTS = Object.fromEntries(BANDIT_RULE_PARAMETERS.map((name) => [name, DEFAULT_BANDIT_RULES[name as keyof typeof DEFAULT_BANDIT_RULES]]));

describe('rule set parameter names no rule family knows', () => {
  it('a misspelt name is one problem naming it, the known names of every family and the close one', () => {
    const problems = ruleSetProblems(RULE_FAMILIES, { confoundWindowHour: 48 });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe('confoundWindowHour');
    expect(problems[0]!.reason).toMatch(/^unknown rule parameter \(did you mean confoundWindowHours\?\); known: /);
    for (const known of ['confoundWindowHours', 'significanceLevel', 'gamma', 'flagMaxIntervalWidth', 'window', 'flakyFlipRate', 'countSuspectedInfraErrorsAsFails']) {
      expect(problems[0]!.reason).toContain(known);
    }
  });

  it('suggests across case, separators, plurals and swapped letters; not for a name far from every known one', () => {
    expect(reasonOf({ TopK: 2 }, 'TopK')).toContain('did you mean topK?');
    expect(reasonOf({ confound_window_hours: 48 }, 'confound_window_hours')).toContain('did you mean confoundWindowHours?');
    expect(reasonOf({ confoundingKind: ['harness'] }, 'confoundingKind')).toContain('did you mean confoundingKinds?');
    expect(reasonOf({ wnidow: 30 }, 'wnidow')).toContain('did you mean window?');
    expect(reasonOf({ trend: { window: 30 } }, 'trend')).toContain('did you mean trends?');
    const far = reasonOf({ colour: 'blue' }, 'colour')!;
    expect(far).toMatch(/^unknown rule parameter; known: /);
    expect(far).not.toContain('did you mean');
  });

  it('the rule set identity (set from the event) is not a parameter either', () => {
    expect(ruleSetProblems(RULE_FAMILIES, { ruleSetVersion: 2, ruleSetId: 'x' }).map((p) => p.field)).toEqual(['ruleSetVersion', 'ruleSetId']);
  });

  it("inside a family's block only that family's names count; one of another family's says whose it is", () => {
    expect(ruleSetProblems(RULE_FAMILIES, { trends: { gamma: 0.9, windw: 30 } })).toEqual([
      { field: 'trends.gamma', reason: expect.stringMatching(/^unknown rule parameter of trends \(it is a rule parameter of lifecycle-policy\); known: window, recent, alpha/) },
      { field: 'trends.windw', reason: expect.stringMatching(/^unknown rule parameter of trends \(did you mean window\?\); known: window, /) },
    ]);
    // As a test fixture once stored it: `window` is a trend rule, the experiments' window is experimentWindowHours.
    expect(reasonOf({ experiments: { window: 2 } }, 'experiments.window')).toContain('(it is a rule parameter of trends)');
    expect(ruleSetProblems(RULE_FAMILIES, { trends: 30 })).toEqual([{ field: 'trends', reason: expect.stringContaining('must be an object of trends rule parameters') }]);
  });

  it('every default of every family, at the top level or in its own block, is accepted (the built-in rules validate)', () => {
    expect(ruleSetProblems(RULE_FAMILIES, { ...DEFAULT_EXPERIMENT_RULES, ...BANDIT_PARAMETER_DEFAULTS, ...DEFAULT_STATISTICAL_RULES, ...outcomeCounts.defaultRules, ...DEFAULT_TRENDS_FDR_RULES })).toEqual([]);
    expect(ruleSetProblems(RULE_FAMILIES, {
      experiments: DEFAULT_EXPERIMENT_RULES,
      'lifecycle-policy': BANDIT_PARAMETER_DEFAULTS,
      trends: DEFAULT_STATISTICAL_RULES,
      'outcome-counts': outcomeCounts.defaultRules,
      'trends-fdr': DEFAULT_TRENDS_FDR_RULES,
    })).toEqual([]);
  });

  it('the false-discovery rules are their own (query-time) family: refused values and misplaced names are named', () => {
    expect(ruleSetProblems(RULE_FAMILIES, { fdrMethod: 'holm' }).map((p) => p.field)).toEqual(['fdrMethod']);
    expect(ruleSetProblems(RULE_FAMILIES, { 'trends-fdr': { fdrLevel: 0 } }).map((p) => p.field)).toEqual(['trends-fdr.fdrLevel']);
    expect(reasonOf({ trends: { fdrMethod: 'none' } }, 'trends.fdrMethod')).toContain('(it is a rule parameter of trends-fdr)');
    expect(ruleSetProblems(RULE_FAMILIES, { fdrMethod: 'none', fdrFamily: 'all' })).toEqual([]);
  });

  it('a refused trend value names the parameter, also from the trends block', () => {
    expect(ruleSetProblems(RULE_FAMILIES, { trends: { recent: 40, window: 30 } })).toEqual([{ field: 'trends.recent', reason: 'recent (40) must be smaller than window (30) (trends rules)' }]);
    expect(ruleSetProblems(RULE_FAMILIES, { trends: { window: 3 } })).toEqual([{ field: 'recent', reason: 'recent (5) must be smaller than window (3) (trends rules)' }]);
    expect(ruleSetProblems(RULE_FAMILIES, { flakyFlipRate: 2 }).map((p) => p.field)).toEqual(['flakyFlipRate']);
    expect(ruleSetProblems(RULE_FAMILIES, { trends: { minRuns: 1 } }).map((p) => p.field)).toEqual(['trends.minRuns']);
  });

  describe('through POST /rule-sets and lessonloop reanalyze', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    });
    afterAll(async () => t?.close());

    const cli = (...args: string[]) => runCommandOnApp([register], t.app, args);

    it('POST /rule-sets with a misspelt name: 400 naming it with the suggestion, nothing appended', async () => {
      const head = await t.store.headPosition();
      const res = await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH)
        .send({ ruleSetId: 'typo', name: 'typo', parameters: { confoundWindowHour: 48, trends: { flakyFliprate: 0.5 } } }).expect(400);
      expect(res.body.problems).toEqual([
        { field: 'confoundWindowHour', reason: expect.stringContaining('unknown rule parameter (did you mean confoundWindowHours?); known: ') },
        { field: 'trends.flakyFliprate', reason: expect.stringContaining('unknown rule parameter of trends (did you mean flakyFlipRate?); known: ') },
      ]);
      expect(res.body.message).toContain('nothing defined');
      expect(await readRuleSet(t.store, 'typo')).toBeNull();
      expect(await t.store.headPosition()).toEqual(head);
    });

    it('POST /rule-sets with a refused trend value: 400 naming the parameter', async () => {
      const res = await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH)
        .send({ ruleSetId: 'bad-recent', name: 'bad', parameters: { trends: { recent: 40, window: 30 } } }).expect(400);
      expect(res.body.problems).toEqual([{ field: 'trends.recent', reason: 'recent (40) must be smaller than window (30) (trends rules)' }]);
      expect(await readRuleSet(t.store, 'bad-recent')).toBeNull();
    });

    it('lessonloop reanalyze --param with a misspelt name: a CLI error naming it, nothing appended', async () => {
      await expect(cli('reanalyze', '--param', 'confoundWindowHour=48', '--rule-set-id', 'typo-cli'))
        .rejects.toThrow(/confoundWindowHour: unknown rule parameter \(did you mean confoundWindowHours\?\)/);
      expect(await readRuleSet(t.store, 'typo-cli')).toBeNull();
    });

    it('a RuleSetDefined stored before names were checked is still read, its unknown name ignored', async () => {
      await t.store.appendToStream('rule-set-legacy', [{
        eventId: randomUUID(),
        type: 'RuleSetDefined',
        schemaVersion: 1,
        data: { ruleSetId: 'legacy', name: 'legacy', parameters: { confoundWindowHour: 48, confoundWindowHours: 12, archiveMinRewards: 9 } },
        metadata: { occurredAt: '2026-03-01T00:00:00Z', source: 'test' },
      }], { expectedRevision: 'no_stream' });
      const res = await request(t.http).get('/experiments').query({ ruleSet: 'legacy' }).expect(200);
      expect(res.body.rules.confoundWindowHours).toBe(12);
      expect((await policyRules(t.store, 'legacy'))!.archiveMinRewards).toBe(9);
    });
  });
});
