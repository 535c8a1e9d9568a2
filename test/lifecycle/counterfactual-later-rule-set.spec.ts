/**
 * The audit's counterfactual under a rule set defined after the lesson was flagged for mutation (a new rule
 * set, or a new version of the one that flagged it), read from a store the way GET /lessons/:id/audit does:
 * the counterfactual uses the rule set's latest definition, the recorded flag keeps citing the version it was
 * decided under.
 */
import { newEvent } from '../../contracts/catalogue.js';
import type { EventMetadata } from '../../contracts/envelope.js';
import { sessionStreamId } from '../../src/bandit/bandit.service.js';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { auditLessonFromStore } from '../../src/lifecycle/audit/lesson-audit.service.js';
import { dispatchDecision } from '../../src/lifecycle/policy/policy-dispatcher.js';
import { readWholeLog } from '../../src/event-store/read-whole-log.js';
import { policyRules } from '../../src/lifecycle/policy/policy-rule-sets.js';
import { foldPolicy } from '../../src/lifecycle/policy/policy-state.js';
import { ruleSetStreamId } from '../../src/rule-sets/rule-set-stream.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { visibleThrough } from './support/simulation.js';

const FLAG_PARAMETERS = { flagMinRewards: 20, flagMeanLow: 0.4, flagMeanHigh: 0.6, flagMaxIntervalWidth: 0.5 };
const SESSIONS = 24;
let second = 0;
const meta = (): EventMetadata => ({ occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second++)).toISOString(), source: 'test' });

describe('audit counterfactual under a rule set defined after the flag', () => {
  let db: TestDatabase;
  let firstDefinitionId: string;
  let flagEventId: string;
  let rewardIds: string[];

  async function define(ruleSetId: string, parameters: Record<string, number>): Promise<string> {
    const event = newEvent('RuleSetDefined', { ruleSetId, name: ruleSetId, parameters }, meta());
    await visibleThrough(db.store, (await db.store.appendToStream(ruleSetStreamId(ruleSetId), [event])).position);
    return event.eventId;
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    firstDefinitionId = await define('flags', FLAG_PARAMETERS);
    const drafts = decideLesson(null, { kind: 'create', lessonId: 'l', title: 'L', category: 'workflow', body: '# L', match: { keywords: ['k'] } });
    await db.store.appendToStream(lessonStreamId('l'), toNewEvents(drafts, meta()), { expectedRevision: 'no_stream' });
    rewardIds = [];
    // Rewards 1, 0, 1, 0, ...: after 2k rewards Beta(1 + k, 1 + k), mean exactly 0.5.
    for (let i = 0; i < SESSIONS; i++) {
      const sessionId = `s${i}`;
      const sampled = newEvent('LessonArmsSampled', {
        sessionId, context: {}, candidates: [{ lessonId: 'l', armKey: 'l', alpha: 1, beta: 1, theta: 0.5 }], selected: ['l'],
        policy: { ruleSetId: 'lifecycle-default', version: 1 }, seed: sessionId,
      }, meta());
      const rewarded = newEvent('SessionRewardObserved', { sessionId, reward: i % 2 === 0 ? 1 : 0 }, meta());
      const result = await db.store.appendToStream(sessionStreamId(sessionId), [sampled, rewarded], { expectedRevision: 'no_stream' });
      await visibleThrough(db.store, result.position);
      rewardIds.push(rewarded.eventId);
    }
    const [flag] = foldPolicy(await readWholeLog(db.store), (await policyRules(db.store, 'flags'))!).outbox;
    expect(flag?.kind).toBe('flag-mutation');
    const dispatched = await dispatchDecision(db.store, flag!);
    expect(dispatched.outcome).toBe('appended');
    await visibleThrough(db.store, dispatched.position!);
    flagEventId = flag!.eventId;
  }, 60_000);

  afterAll(async () => db?.close());

  it('a new rule set defined after the flag: when it would have flagged, beside the flag in fact recorded', async () => {
    await define('later', { ...FLAG_PARAMETERS, flagMinRewards: 24 });
    const audit = await auditLessonFromStore(db.store, 'l', 'later', db.sql);
    expect(audit.counterfactual).toMatchObject({ ruleSetId: 'later', ruleSetVersion: 1, wouldArchive: false });
    expect(audit.counterfactual!.wouldFlagForMutation).toMatchObject({ reason: 'stalled-middle-band', triggeringEventId: rewardIds[23], numbers: { alpha: 13, beta: 13, n: 24 } });
    expect(audit.counterfactual!.actuallyFlagged).toEqual([expect.objectContaining({ eventId: flagEventId, ruleSetId: 'flags', reason: 'stalled-middle-band' })]);
  });

  it('a new version of the flagging rule set: the counterfactual is under v2, the flag still cites v1', async () => {
    await define('flags', { ...FLAG_PARAMETERS, flagMinRewards: 22 });
    const audit = await auditLessonFromStore(db.store, 'l', 'flags', db.sql);
    expect(audit.counterfactual).toMatchObject({ ruleSetId: 'flags', ruleSetVersion: 2 });
    expect(audit.counterfactual!.wouldFlagForMutation).toMatchObject({ triggeringEventId: rewardIds[21], numbers: { alpha: 12, beta: 12, n: 22 } });
    expect(audit.mutationFlags).toHaveLength(1);
    expect(audit.mutationFlags[0]!.rule).toMatchObject({ ruleSetId: 'flags', ruleSetVersion: 1, definedBy: { eventId: firstDefinitionId } });
    expect(audit.mutationFlags[0]!.rule.parameters.flagMinRewards).toBe(20);
    expect(audit.mutationFlags[0]!.evidence.numbers).toMatchObject({ alpha: 11, beta: 11, n: 20 });
  });
});
