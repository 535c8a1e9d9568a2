/**
 * A rule set is checked against every rule family it can override (experiments, trends, lifecycle policy,
 * outcome counts) before anything is appended: a value one family refuses is a 400 naming the field over HTTP
 * and a CLI error from `lessonloop reanalyze`, and the rule set's stream stays empty.
 */
import { jest } from '@jest/globals';
import request from 'supertest';
import { register } from '../../src/cli/commands/reanalyze.command.js';
import { RULE_FAMILIES } from '../../src/rule-set-families.js';
import { ruleSetProblems } from '../../src/rule-sets/rule-set-problems.js';
import { readRuleSet } from '../../src/rule-sets/rule-set-stream.js';
import { API_TOKENS, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

jest.setTimeout(60_000);

describe('rule set parameters checked against every rule family', () => {
  it('names each refused field with the family that refuses it', () => {
    expect(ruleSetProblems(RULE_FAMILIES, { flagMeanLow: 0.7, gamma: 0 })).toEqual([
      { field: 'gamma', reason: expect.stringContaining('(lifecycle-policy rules)') },
      { field: 'flagMeanLow', reason: 'flagMeanLow must not exceed flagMeanHigh (lifecycle-policy rules)' },
    ]);
    expect(ruleSetProblems(RULE_FAMILIES, { 'lifecycle-policy': { topK: 0 } }).map((p) => p.field)).toEqual(['lifecycle-policy.topK']);
    expect(ruleSetProblems(RULE_FAMILIES, { recent: 40, window: 30 })).toEqual([{ field: 'recent', reason: 'recent (40) must be smaller than window (30) (trends rules)' }]);
    expect(ruleSetProblems(RULE_FAMILIES, { confoundWindowHours: -1 }).map((p) => p.field)).toEqual(['confoundWindowHours']);
    expect(ruleSetProblems(RULE_FAMILIES, { countSuspectedInfraErrorsAsFails: 'yes' }).map((p) => p.field)).toEqual(['countSuspectedInfraErrorsAsFails']);
    expect(ruleSetProblems(RULE_FAMILIES, { confoundWindowHours: 72, gamma: 0.9, window: 30, flagMeanLow: 0.3 })).toEqual([]);
  });

  describe('through POST /rule-sets and lessonloop reanalyze', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    });
    afterAll(async () => t?.close());

    const cli = (...args: string[]) => runCommandOnApp([register], t.app, args);

    it('POST /rule-sets: 400 with {field, reason} for a lifecycle value, nothing appended', async () => {
      const res = await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH)
        .send({ ruleSetId: 'bad-gamma', name: 'bad', parameters: { flagMeanLow: 0.7, gamma: 0 } }).expect(400);
      expect(res.body.problems.map((p: { field: string }) => p.field)).toEqual(['gamma', 'flagMeanLow']);
      expect(res.body.message).toContain('nothing defined');
      expect(await readRuleSet(t.store, 'bad-gamma')).toBeNull();
      await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH)
        .send({ ruleSetId: 'good-gamma', name: 'good', parameters: { gamma: 0.95 } }).expect(201);
      expect((await readRuleSet(t.store, 'good-gamma'))!.parameters).toEqual({ gamma: 0.95 });
    });

    it('lessonloop reanalyze --param: a refused trend value is a CLI error naming it, nothing appended', async () => {
      await expect(cli('reanalyze', '--param', 'recent=50', '--rule-set-id', 'bad-trends')).rejects.toThrow(/recent: recent \(50\) must be smaller than window \(20\) \(trends rules\)/);
      expect(await readRuleSet(t.store, 'bad-trends')).toBeNull();
    });
  });
});
