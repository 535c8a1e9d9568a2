/** LESSONLOOP_POLICY_RULE_SET comes from AppConfig: trimmed, blank = unset (defaults), unknown ids refused at start. */
import { newEvent } from '../../contracts/catalogue.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { activeRuleSetId, loadActiveRules } from '../../src/lifecycle/policy/active-rule-set.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { visibleThrough } from './support/simulation.js';

describe('the active policy rule set', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    const event = newEvent('RuleSetDefined', { ruleSetId: 'tight', name: 'tight', parameters: { archiveMinRewards: 7, flagMinRewards: 12 } }, { occurredAt: '2026-01-01T00:00:00Z', source: 'test' });
    await visibleThrough(db.store, (await db.store.appendToStream('rule-set-tight', [event])).position);
  }, 60_000);
  afterAll(async () => db?.close());

  it('is read from AppConfig: trimmed, and unset when blank', () => {
    expect(activeRuleSetId(loadAppConfig({ LESSONLOOP_POLICY_RULE_SET: '  tight ' }))).toBe('tight');
    expect(activeRuleSetId(loadAppConfig({ LESSONLOOP_POLICY_RULE_SET: '   ' }))).toBeNull();
    expect(activeRuleSetId(loadAppConfig({}))).toBeNull();
  });

  it('loads the rules of a defined rule set (its own stream), the defaults when unset, and refuses an unknown id', async () => {
    await expect(loadActiveRules(db.store, 'tight')).resolves.toMatchObject({ ruleSetId: 'tight', ruleSetVersion: 1, archiveMinRewards: 7, flagMinRewards: 12 });
    await expect(loadActiveRules(db.store, null)).resolves.toMatchObject({ ruleSetId: 'lifecycle-default', archiveMinRewards: 30 });
    await expect(loadActiveRules(db.store, 'missing')).rejects.toThrow('LESSONLOOP_POLICY_RULE_SET=missing: no RuleSetDefined event has that ruleSetId');
  });

  it('refuses flag parameters that cannot hold (flagMeanLow above flagMeanHigh) when the rules are built', async () => {
    const event = newEvent('RuleSetDefined', { ruleSetId: 'upside-down', name: 'upside-down', parameters: { flagMeanLow: 0.7, flagMeanHigh: 0.3 } }, { occurredAt: '2026-01-01T00:00:00Z', source: 'test' });
    await visibleThrough(db.store, (await db.store.appendToStream('rule-set-upside-down', [event])).position);
    await expect(loadActiveRules(db.store, 'upside-down')).rejects.toThrow('flagMeanLow must not exceed flagMeanHigh');
  });
});
