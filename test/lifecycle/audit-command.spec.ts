/** `lessonloop audit lesson <id>` on a simulated history whose policy decisions were dispatched through the aggregate. */
import type { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { SQL_CLIENT } from '../../src/database/sql-client.js';
import { EVENT_STORE } from '../../src/event-store/event-store.port.js';
import { register } from '../../src/cli/commands/audit.command.js';
import { dispatchDecision } from '../../src/lifecycle/policy/policy-dispatcher.js';
import { policyRules } from '../../src/lifecycle/policy/policy-rule-sets.js';
import { foldPolicy } from '../../src/lifecycle/policy/policy-state.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createSimLessons, defineSimRuleSet, readWholeLog, runSimulation, SIM_RULE_SET, visibleThrough } from './support/simulation.js';

describe('lessonloop audit lesson', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
    await defineSimRuleSet(db.store);
    await createSimLessons(db.store);
    await runSimulation(db.store, { sessions: 100 });
    const rules = (await policyRules(db.store, SIM_RULE_SET))!;
    for (const decision of foldPolicy(await readWholeLog(db.store), rules).outbox) {
      const dispatched = await dispatchDecision(db.store, decision);
      expect(dispatched.outcome).toBe('appended');
      await visibleThrough(db.store, dispatched.position!);
    }
  }, 120_000);

  afterAll(async () => db?.close());

  async function run(args: string[]): Promise<string> {
    let out = '';
    const program = new Command().exitOverride();
    register(program, {
      stdout: { write: (text: string) => (out += text) },
      withContext: (fn) => fn({ get: (token: unknown) => (token === EVENT_STORE ? db.store : token === SQL_CLIENT ? db.sql : undefined) } as unknown as INestApplicationContext),
    });
    await program.parseAsync(['node', 'lessonloop', ...args]);
    return out;
  }

  it('names the rule, the rule-set event, the evidence events and the trajectory; the counterfactual too', async () => {
    const ruleSetEvent = (await readWholeLog(db.store)).find((e) => e.type === 'RuleSetDefined')!;
    const text = await run(['audit', 'lesson', 'lesson-bad', '--rule-set', SIM_RULE_SET]);
    expect(text).toContain('active -> archived');
    expect(text).toContain(`decided by the policy: rule archive-low-mean of rule set sim v1 (defined by event ${ruleSetEvent.eventId})`);
    expect(text).toMatch(/evidence events: \d+ \(all found in the log\)/);
    expect(text).toMatch(/posterior trajectory \(\d+ reward\(s\) before the decision\)/);
    expect(text).toContain('counterfactual under rule set sim v1: would have archived it on reward');
    const json = JSON.parse(await run(['audit', 'lesson', 'lesson-bad', '--format', 'json'])) as { statusChanges: { rule: { name: string } }[] };
    expect(json.statusChanges[0]!.rule.name).toBe('archive-low-mean');
  });

  it('refuses an unknown lesson and an unknown rule set', async () => {
    await expect(run(['audit', 'lesson', 'no-such-lesson'])).rejects.toThrow('Lesson no-such-lesson has no events');
    await expect(run(['audit', 'lesson', 'lesson-bad', '--rule-set', 'nope'])).rejects.toThrow('Unknown rule set "nope"');
  });
});
