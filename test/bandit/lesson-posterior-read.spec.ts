/**
 * Posterior and audit reads from the lesson's sessions (bandit-sessions read model plus the log's tail)
 * must answer exactly what a fold of the whole log answers: compared bit for bit on a history with
 * top-3 selections, contexts, sessions selected twice before their reward, unrewarded sessions and rewards
 * whose event time is out of log order; with and without discounting (gamma 0.9, where the read model
 * supplies the reward clock); with the read model at the head and behind it.
 */
import { newEvent } from '../../contracts/catalogue.js';
import { comparePositions, type RecordedEvent } from '../../contracts/envelope.js';
import { banditSessions } from '../../projections/bandit/bandit-sessions.js';
import { banditRules, type BanditRules } from '../../projections/bandit/bandit-rules.js';
import { POSTERIOR_EVENT_TYPES } from '../../projections/bandit/posterior.js';
import { BanditService, posteriorOf } from '../../src/bandit/bandit.service.js';
import { seededBetaSampler } from '../../src/bandit/beta-sampler.js';
import { lessonBanditHistory } from '../../src/bandit/lesson-bandit-events.js';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { loadLesson, toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { auditLesson } from '../../src/lifecycle/audit/audit-lesson.js';
import { counterfactualArchive } from '../../src/lifecycle/audit/counterfactual.js';
import { auditLessonFromStore } from '../../src/lifecycle/audit/lesson-audit.service.js';
import { readWholeLog } from '../../src/event-store/read-whole-log.js';
import { policyRules } from '../../src/lifecycle/policy/policy-rule-sets.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { currentInstanceId } from '../../src/projection-engine/instances/current-instance.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createSimLessons, TRUE_RATES, visibleThrough } from '../lifecycle/support/simulation.js';

const LESSONS = Object.keys(TRUE_RATES);
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const AS_OF = [undefined, new Date(at(4)), new Date(at(30)), new Date(at(61)), new Date(at(500))];
const DECAY = banditRules({ gamma: 0.9 });

describe('lesson posterior and audit read from the lesson sessions = fold of the whole log', () => {
  let db: TestDatabase;
  let engine: ProjectionEngine | undefined;

  async function startIndex(): Promise<void> {
    engine = new ProjectionEngine({ sql: db.sql, store: db.store, projections: [banditSessions], options: { processor: { pollIntervalMs: 20, instanceCheckMs: 200 }, reconcileIntervalMs: 200 } });
    await engine.start();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const id = await currentInstanceId(db.sql, banditSessions.name);
      const { rows } = id ? await db.sql.query<{ c: string; p: string }>('SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_instances WHERE instance_id = $1', [id]) : { rows: [] };
      const head = await db.store.headPosition();
      if (rows[0] && head && comparePositions({ commit: BigInt(rows[0].c), prepare: BigInt(rows[0].p) }, head) >= 0) return;
      if (Date.now() > deadline) throw new Error('bandit-sessions did not reach the head');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function simulate(bandit: BanditService, from: number, to: number): Promise<void> {
    const uniform = seededBetaSampler(`rewards-${from}`);
    for (let i = from; i < to; i++) {
      const request = { text: 'the deploy broke', model: `m${i % 2}`, ...(i % 3 === 0 ? { category: 'workflow' } : {}), seed: `s-${i}`, occurredAt: at(10 + 2 * i) };
      await bandit.selectLessons(`s-${i}`, request);
      if (i % 5 === 0) await bandit.selectLessons(`s-${i}`, { ...request, seed: `again-${i}` });
      if (i % 9 === 4) continue;
      // Every 7th reward is dated before everything else: out of event-time order.
      await bandit.recordOutcome(`s-${i}`, { reward: uniform(1, 1) < 0.5 ? 1 : 0.25, occurredAt: i % 7 === 3 ? at(3) : at(11 + 2 * i) });
    }
    await visibleThrough(db.store, bandit.lastWrittenPosition!);
  }

  const fromLog = async (lessonId: string, rules: BanditRules, asOf?: Date) => {
    const until = asOf?.getTime();
    const events = (await readWholeLog(db.store)).filter(
      (e) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type) && (until === undefined || Date.parse(e.metadata.occurredAt) <= until),
    );
    return posteriorOf({ events }, lessonId, rules, asOf);
  };

  async function expectSamePosteriors(rules: BanditRules, source: 'read-model' | 'log'): Promise<void> {
    const service = new BanditService(db.store, rules, db.sql);
    for (const lessonId of LESSONS) {
      for (const asOf of AS_OF) {
        const history = await lessonBanditHistory(db.sql, db.store, lessonId, { discounted: rules.gamma !== 1, ...(asOf ? { asOf } : {}) });
        expect(history.source).toBe(source);
        const read = await service.posterior(lessonId, asOf);
        // toEqual compares numbers with Object.is: bit for bit.
        expect(read).toEqual(await fromLog(lessonId, rules, asOf));
      }
    }
  }

  async function defineRuleSet(ruleSetId: string, parameters: Record<string, number>): Promise<void> {
    const event = newEvent('RuleSetDefined', { ruleSetId, name: ruleSetId, parameters }, { occurredAt: at(0), source: 'test' });
    await visibleThrough(db.store, (await db.store.appendToStream(`rule-set-${ruleSetId}`, [event])).position);
  }

  async function expectSameAudits(ruleSetId: string): Promise<void> {
    const rules = (await policyRules(db.store, ruleSetId))!;
    const all = await readWholeLog(db.store);
    for (const lessonId of LESSONS) {
      const expected = { ...auditLesson(all, lessonId), counterfactual: counterfactualArchive(all, lessonId, rules) };
      expect(await auditLessonFromStore(db.store, lessonId, ruleSetId, db.sql)).toEqual(expected);
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await createSimLessons(db.store);
    await defineRuleSet('strict', { archiveMinRewards: 5, archiveBelowMean: 0.7 });
    await defineRuleSet('decaying', { gamma: 0.9, archiveMinRewards: 5, archiveBelowMean: 0.7 });
    await simulate(new BanditService(db.store, banditRules(), db.sql), 0, 36);
    // A human archive in the middle of the history, so the audit has a status change to explain.
    const loaded = await loadLesson(db.store, 'lesson-bad');
    const drafts = decideLesson(loaded.state, { kind: 'change-status', to: 'archived', reason: 'replaced' });
    await db.store.appendToStream(lessonStreamId('lesson-bad'), toNewEvents(drafts, { occurredAt: at(90), source: 'test', actor: 'carol' }), { expectedRevision: loaded.expectedRevision });
    await simulate(new BanditService(db.store, banditRules(), db.sql), 36, 40);
    await startIndex();
  }, 120_000);

  afterAll(async () => {
    await engine?.stop();
    await db?.close();
  });

  it('posteriors at several instants, undiscounted and discounted, with the read model at the head', async () => {
    await expectSamePosteriors(banditRules(), 'read-model');
    await expectSamePosteriors(DECAY, 'read-model');
    // The comparison is not vacuous: every lesson has rewards, and the decay changes the answer.
    const now = await fromLog('lesson-good', banditRules());
    expect(now.arms[0]!.n).toBeGreaterThan(5);
    expect((await fromLog('lesson-good', DECAY)).arms[0]!.alpha).not.toBe(now.arms[0]!.alpha);
  }, 60_000);

  it('audits and counterfactuals (plain and discounting rule sets) equal the audit of the whole log', async () => {
    const all = await readWholeLog(db.store);
    expect(auditLesson(all, 'lesson-bad').statusChanges[0]!.trajectory.length).toBeGreaterThan(3);
    await expectSameAudits('strict');
    await expectSameAudits('decaying');
  }, 60_000);

  it('with the read model behind the log, the tail closes the gap (discounted reads fold the log instead)', async () => {
    await engine!.stop();
    engine = undefined;
    await simulate(new BanditService(db.store, banditRules(), db.sql), 40, 46);
    const events: RecordedEvent[] = await readWholeLog(db.store);
    expect(events.some((e) => e.type === 'SessionRewardObserved' && (e.data as { sessionId: string }).sessionId === 's-45')).toBe(true);
    await expectSamePosteriors(banditRules(), 'read-model');
    await expectSamePosteriors(DECAY, 'log');
    await expectSameAudits('strict');
  }, 60_000);
});
