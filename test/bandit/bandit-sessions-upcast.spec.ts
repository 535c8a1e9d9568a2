/**
 * The bandit-sessions read model keeps each event's data at the version it was projected at and upcasts it on
 * read, as the store upcasts the log. Given rows stored at an old version (SessionRewardObserved v1 rewards,
 * projected from a store that delivers events as written, beside v2 ones), the lesson posterior, the audit and
 * the selection posteriors read through the read model equal a fold of the whole log read through the store.
 * Then a test-only upcaster (SessionRewardObserved v3 rescaling every reward, defined in this spec only, the
 * catalogue untouched) is added to what both paths read with: they still agree, and their answers moved, so
 * the rows stored before it were lifted too. Last, with the read model behind the log (upcast rows + the
 * store's tail).
 */
import { randomUUID } from 'node:crypto';
import {
  SessionRewardObserved,
  SessionRewardObservedSchema,
  SessionRewardObservedV1Schema,
  type SessionRewardObservedData,
} from '../../contracts/bandit.js';
import { catalogueUpcasting, eventDefinitions, newEvent, upcastingOf, validateNewEvent, type Upcasting } from '../../contracts/catalogue.js';
import { comparePositions, type RecordedEvent } from '../../contracts/envelope.js';
import { defineEvent, upcaster } from '../../contracts/event-definition.js';
import { BANDIT_SESSION_EVENTS_TABLE, banditSessions } from '../../projections/bandit/bandit-sessions.js';
import { banditRules, type BanditRules } from '../../projections/bandit/bandit-rules.js';
import { foldPosteriors, POSTERIOR_EVENT_TYPES } from '../../projections/bandit/posterior.js';
import { BanditService, posteriorOf, sessionStreamId } from '../../src/bandit/bandit.service.js';
import { lessonBanditHistory } from '../../src/bandit/lesson-bandit-events.js';
import { PosteriorCache } from '../../src/bandit/posterior-cache.js';
import { readModelStand } from '../../src/bandit/read-model-checkpoint.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { loadLesson, toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { auditLesson } from '../../src/lifecycle/audit/audit-lesson.js';
import { counterfactualArchive } from '../../src/lifecycle/audit/counterfactual.js';
import { auditLessonFromStore } from '../../src/lifecycle/audit/lesson-audit.service.js';
import { readWholeLog } from '../../src/event-store/read-whole-log.js';
import { policyRules } from '../../src/lifecycle/policy/policy-rule-sets.js';
import { currentInstanceId } from '../../src/projection-engine/instances/current-instance.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { createSimLessons, TRUE_RATES, visibleThrough } from '../lifecycle/support/simulation.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const LESSONS = Object.keys(TRUE_RATES);
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const PLAIN = banditRules();
const DECAY = banditRules({ gamma: 0.9 });
const RULE_SETS = ['strict', 'decaying'];

/**
 * A future SessionRewardObserved v3, for this spec only: every reward scaled down, more so the more eval
 * outcomes it cites. It reads `evalOutcomeIds`, a field the selection fold does not, so an upcast of rows
 * narrowed to the fold's fields would show.
 */
const rescaledRewards = defineEvent('SessionRewardObserved', 3, SessionRewardObservedSchema, {
  schemas: { 1: SessionRewardObservedV1Schema, 2: SessionRewardObservedSchema },
  upcasters: {
    1: SessionRewardObserved.upcasters[1]!,
    2: upcaster((data: SessionRewardObservedData) => ({ ...data, reward: data.reward / (2 + (data.evalOutcomeIds?.length ?? 0)) })),
  },
});
const withRescaledRewards = upcastingOf(eventDefinitions.map((d) => (d.type === 'SessionRewardObserved' ? rescaledRewards : d)));

const isBanditEvent = (e: RecordedEvent) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type);

describe('bandit-sessions rows are upcast on read: read-model answers = whole-log fold, old rows and new upcasters alike', () => {
  let db: TestDatabase;
  let engine: ProjectionEngine | undefined;
  /** Events as written: the read model is projected from it, so v1 rewards are stored as v1 rows. */
  let asWritten: EventStore;
  /** The catalogue's store: v1 rewards read as v2. */
  let store: EventStore;
  const v1Rewards: string[] = [];

  /** Sessions `from`..`to`: every third reward is appended at v1, as an older producer wrote it (some citing eval outcomes by id). */
  async function simulate(from: number, to: number): Promise<void> {
    const bandit = new BanditService(store, PLAIN, db.sql);
    for (let i = from; i < to; i++) {
      const sessionId = `s-${i}`;
      await bandit.selectLessons(sessionId, { text: 'the deploy broke', model: `m${i % 2}`, ...(i % 4 === 0 ? { category: 'workflow' } : {}), seed: `seed-${i}`, occurredAt: at(10 + 2 * i) });
      const reward = (i * 37) % 10 < 6 ? 1 : 0.25;
      if (i % 3 === 0) {
        const event = validateNewEvent({
          eventId: randomUUID(),
          type: 'SessionRewardObserved',
          schemaVersion: 1,
          data: { sessionId, reward, ...(i % 2 === 0 ? { evalOutcomeIds: [`legacy-${i}-a`, `legacy-${i}-b`] } : {}) },
          metadata: { occurredAt: at(11 + 2 * i), source: 'test' },
        });
        v1Rewards.push(event.eventId);
        await visibleThrough(store, (await store.appendToStream(sessionStreamId(sessionId), [event])).position);
      } else {
        await bandit.recordOutcome(sessionId, { reward, occurredAt: at(11 + 2 * i) });
        await visibleThrough(store, bandit.lastWrittenPosition!);
      }
    }
  }

  async function untilHead(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const stand = await readModelStand(db.sql, banditSessions.name);
      const head = await store.headPosition();
      if (stand?.checkpoint && head && comparePositions(stand.checkpoint, head) >= 0) return;
      if (Date.now() > deadline) throw new Error('bandit-sessions did not reach the head');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function defineRuleSet(ruleSetId: string, parameters: Record<string, number>): Promise<void> {
    const event = newEvent('RuleSetDefined', { ruleSetId, name: ruleSetId, parameters }, { occurredAt: at(0), source: 'test' });
    await visibleThrough(store, (await store.appendToStream(`rule-set-${ruleSetId}`, [event])).position);
  }

  /**
   * Compares every read-model read with the whole log read through `reading` (a store upcasting with `upcasting`).
   * Returns the posteriors, so a caller can see what an upcaster changed.
   */
  async function expectSameAnswers(reading: EventStore, upcasting: Upcasting, source: 'read-model' | 'log' = 'read-model') {
    const all = await readWholeLog(reading);
    const logById = new Map(all.map((e) => [e.eventId, e]));
    const posteriors: Record<string, unknown> = {};
    for (const lessonId of LESSONS) {
      const history = await lessonBanditHistory(db.sql, reading, lessonId, { discounted: false, upcasting });
      expect(history.source).toBe(source);
      // Each event the read model hands out is the log's, as the store reads it (version and data included).
      expect(history.events.length).toBeGreaterThan(0);
      for (const e of history.events) expect(e).toEqual(logById.get(e.eventId));
    }
    for (const rules of [PLAIN, DECAY]) {
      const service = new BanditService(reading, rules, db.sql, upcasting);
      const bandit = all.filter(isBanditEvent);
      for (const lessonId of LESSONS) {
        const read = await service.posterior(lessonId);
        // toEqual compares numbers with Object.is: bit for bit.
        expect(read).toEqual(posteriorOf({ events: bandit }, lessonId, rules));
        posteriors[`${lessonId}@${rules.gamma}`] = read;
      }
      // Selection's posteriors: the cache folds the rows up to the checkpoint, the tail after it.
      const stand = (await readModelStand(db.sql, banditSessions.name))!;
      const tail = stand.checkpoint ? await readWholeLog(reading, { after: stand.checkpoint }) : all;
      const cached = await new PosteriorCache(db.sql, rules, upcasting).posteriors(stand, tail);
      expect(cached).toEqual(foldPosteriors(bandit, rules));
    }
    for (const ruleSetId of RULE_SETS) {
      const rules = (await policyRules(reading, ruleSetId))!;
      for (const lessonId of LESSONS) {
        const expected = { ...auditLesson(all, lessonId), counterfactual: counterfactualArchive(all, lessonId, rules) };
        expect(await auditLessonFromStore(reading, lessonId, ruleSetId, db.sql, upcasting)).toEqual(expected);
      }
    }
    return posteriors;
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    asWritten = db.store;
    store = withCatalogue(asWritten);
    await createSimLessons(store);
    await defineRuleSet('strict', { archiveMinRewards: 5, archiveBelowMean: 0.7 });
    await defineRuleSet('decaying', { gamma: 0.9, archiveMinRewards: 5, archiveBelowMean: 0.7 });
    await simulate(0, 24);
    // A human archive, so each audit has a status change with a posterior trajectory to explain.
    const loaded = await loadLesson(store, 'lesson-bad');
    const drafts = decideLesson(loaded.state, { kind: 'change-status', to: 'archived', reason: 'replaced' });
    const archived = await store.appendToStream(lessonStreamId('lesson-bad'), toNewEvents(drafts, { occurredAt: at(70), source: 'test', actor: 'carol' }), {
      expectedRevision: loaded.expectedRevision,
    });
    await visibleThrough(store, archived.position);
    await simulate(24, 30);
    engine = new ProjectionEngine({ sql: db.sql, store: asWritten, projections: [banditSessions], options: { processor: { pollIntervalMs: 20, instanceCheckMs: 200 }, reconcileIntervalMs: 200 } });
    await engine.start();
    await untilHead();
  }, 120_000);

  afterAll(async () => {
    await engine?.stop();
    await db?.close();
  });

  it('given v1 and v2 reward rows, the read model reads them as v2: posteriors, selection posteriors and audits equal the whole-log fold', async () => {
    const instanceId = await currentInstanceId(db.sql, banditSessions.name);
    const { rows } = await db.sql.query<{ event_id: string; schema_version: number }>(
      `SELECT event_id, schema_version FROM ${BANDIT_SESSION_EVENTS_TABLE} WHERE instance_id = $1 AND event_type = 'SessionRewardObserved'`,
      [instanceId],
    );
    const stored = new Map(rows.map((r) => [r.event_id, Number(r.schema_version)]));
    // Given: the v1 rewards are stored as v1 rows, the others as v2.
    expect(v1Rewards.length).toBe(10);
    for (const id of v1Rewards) expect(stored.get(id)).toBe(1);
    expect([...stored.values()].filter((v) => v === 2).length).toBe(rows.length - v1Rewards.length);
    expect((await readWholeLog(store)).find((e) => e.eventId === v1Rewards[0])!.schemaVersion).toBe(2);

    await expectSameAnswers(store, catalogueUpcasting);
    const all = await readWholeLog(store);
    expect(auditLesson(all, 'lesson-bad').statusChanges[0]!.trajectory.length).toBeGreaterThan(3);
  }, 60_000);

  it('with a test-only upcaster (v2 -> v3) both paths read the same, and it moved the answers', async () => {
    const before = await expectSameAnswers(store, catalogueUpcasting);
    const after = await expectSameAnswers(withCatalogue(asWritten, withRescaledRewards), withRescaledRewards);
    // Every stored reward row (v1 and v2) went through the new upcaster: the posteriors changed.
    for (const key of Object.keys(before)) expect(after[key]).not.toEqual(before[key]);
    // The catalogue itself is untouched: other specs still read SessionRewardObserved at v2.
    expect(catalogueUpcasting.currentVersion('SessionRewardObserved')).toBe(2);
    expect(SessionRewardObserved.currentVersion).toBe(2);
  }, 120_000);

  it('with the read model behind the log: upcast rows plus the store tail still equal the fold', async () => {
    await engine!.stop();
    engine = undefined;
    await simulate(30, 36);
    const stand = (await readModelStand(db.sql, banditSessions.name))!;
    expect((await readWholeLog(store, { after: stand.checkpoint! })).filter(isBanditEvent).length).toBe(12);
    await expectSameAnswers(store, catalogueUpcasting);
    await expectSameAnswers(withCatalogue(asWritten, withRescaledRewards), withRescaledRewards);
  }, 120_000);
});
