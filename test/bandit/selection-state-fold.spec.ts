/**
 * The selection fast path after a few thousand seeded sessions: the posteriors a SelectionState keeps
 * incrementally (one started from the log and advanced every 100 sessions, one started cold from the read
 * models with the rest of the log as its tail, and a BanditService's own) equal a fold of the whole log bit for
 * bit, with decay (gamma 0.97: every reward ages every arm), salience weights and context arms. Both are the
 * same fold (applyPosteriorEvent) in the same (log) order, so the floating-point operations are the same ones;
 * the comparison is of the exact numbers (JSON keeps every bit of a double). Runs on the store the suite runs on.
 */
import { NO_HOLDOUT, type LessonArmsSampledData } from '../../contracts/bandit.js';
import { newEvent } from '../../contracts/catalogue.js';
import { comparePositions, type NewEvent } from '../../contracts/envelope.js';
import { banditSessions } from '../../projections/bandit/bandit-sessions.js';
import { banditRules } from '../../projections/bandit/bandit-rules.js';
import { lessonCatalogue } from '../../projections/lessons/lesson-catalogue.js';
import { applyPosteriorEvent, emptyPosteriorState, foldPosteriors, POSTERIOR_EVENT_TYPES, type PosteriorState } from '../../projections/bandit/posterior.js';
import { BanditService } from '../../src/bandit/bandit.service.js';
import { seededBetaSampler } from '../../src/bandit/beta-sampler.js';
import { candidatePosteriors, drawSelection } from '../../src/bandit/select-arms.js';
import { SelectionState } from '../../src/bandit/selection-state.js';
import { readWholeLog } from '../../src/event-store/read-whole-log.js';
import { currentInstanceId } from '../../src/projection-engine/instances/current-instance.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { createSimLessons, visibleThrough } from '../lifecycle/support/simulation.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const RULES = banditRules({ gamma: 0.97, minContextCount: 5, salienceWeighting: true });
const LESSONS = Array.from({ length: 12 }, (_, i) => `lesson-${i}`);
const SESSIONS = 2400;
const at = (n: number) => new Date(Date.UTC(2026, 0, 2) + n * 1000).toISOString();

/** What selection reads of a state: every arm and the discount clock, as exact numbers. */
const exact = (state: PosteriorState) => JSON.stringify({ step: state.step, arms: Object.entries(state.arms).sort(([a], [b]) => (a < b ? -1 : 1)) });

describe('selection state after thousands of seeded sessions = fold of the whole log, bit for bit', () => {
  let db: TestDatabase;
  let engine: ProjectionEngine | undefined;

  beforeAll(async () => {
    db = await openTestDatabase();
    await createSimLessons(db.store, LESSONS);
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
    await db?.close();
  });

  async function untilHead(projectionName: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const id = await currentInstanceId(db.sql, projectionName);
      const { rows } = id ? await db.sql.query<{ c: string; p: string }>('SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_instances WHERE instance_id = $1', [id]) : { rows: [] };
      const head = await db.store.headPosition();
      if (rows[0] && head && comparePositions({ commit: BigInt(rows[0].c), prepare: BigInt(rows[0].p) }, head) >= 0) return;
      if (Date.now() > deadline) throw new Error(`${projectionName} did not reach the head`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function wholeLogFold(): Promise<PosteriorState> {
    const events = (await readWholeLog(db.store)).filter((e) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type));
    return foldPosteriors(events, RULES);
  }

  /** Sessions `from`..`to`-1, appended 100 at a time: seeded draws over the generator's own fold, some selected twice, some never rewarded. */
  async function appendSessions(from: number, to: number, generator: PosteriorState, warm: SelectionState): Promise<void> {
    const uniform = seededBetaSampler(`rewards-${from}`);
    for (let start = from; start < to; start += 100) {
      const appends: { streamId: string; events: NewEvent[] }[] = [];
      for (let i = start; i < Math.min(to, start + 100); i++) {
        const sessionId = `fold-${i}`;
        const context = { model: `m${i % 3}`, ...(i % 4 ? { category: `c${i % 2}` } : {}) };
        const lessonIds = LESSONS.filter((_, k) => (k + i) % 3 !== 0);
        const events: NewEvent[] = [];
        for (const seed of i % 9 === 4 ? [`a-${i}`, `b-${i}`] : [`a-${i}`]) {
          const { candidates, selected } = drawSelection(candidatePosteriors(lessonIds, context, generator, RULES), seededBetaSampler(seed), RULES);
          const data: LessonArmsSampledData = {
            sessionId,
            context: { ...context, textDigest: 'x' },
            candidates,
            selected,
            policy: { ruleSetId: RULES.ruleSetId, version: RULES.ruleSetVersion },
            seed,
            holdout: { ...NO_HOLDOUT, withheld: [] },
          };
          events.push(newEvent('LessonArmsSampled', data, { occurredAt: at(2 * i), source: 'test' }));
        }
        if (i % 11 !== 5) {
          const salience = i % 5 === 0 ? { [LESSONS[i % 12]!]: 0.5, [LESSONS[(i + 1) % 12]!]: 2 } : undefined;
          events.push(newEvent('SessionRewardObserved', { sessionId, reward: uniform(1, 1) < 0.6 ? 1 : 0.2, ...(salience ? { salience } : {}) }, { occurredAt: at(2 * i + 1), source: 'test' }));
        }
        for (const e of events) applyPosteriorEvent(generator, { ...e, globalPosition: 0n }, RULES);
        appends.push({ streamId: `session-${sessionId}`, events });
      }
      const results = await db.store.appendMany(appends);
      await visibleThrough(db.store, results[results.length - 1]!.position);
      await warm.catchUp();
    }
  }

  it('warm from the log, cold from the read models plus the tail, and the service: the exact numbers of the fold', async () => {
    const generator = emptyPosteriorState();
    const warm = new SelectionState(db.store, RULES, db.sql);
    await appendSessions(0, SESSIONS / 2, generator, warm);
    expect(warm.foldReason).toEqual(expect.stringContaining('has not been built'));

    // The read models take the first half; the second half is the cold state's tail.
    engine = new ProjectionEngine({ sql: db.sql, store: db.store, projections: [lessonCatalogue, banditSessions], options: { processor: { pollIntervalMs: 20 } } });
    await engine.start();
    for (const name of [lessonCatalogue.name, banditSessions.name]) await untilHead(name);
    await engine.stop();
    engine = undefined;
    await appendSessions(SESSIONS / 2, SESSIONS, generator, warm);

    const fold = await wholeLogFold();
    const cold = await new SelectionState(db.store, RULES, db.sql).catchUp();
    expect(fold.step).toBeGreaterThan(SESSIONS * 0.8);
    expect(Object.keys(fold.arms).filter((k) => k.includes('|')).length).toBeGreaterThan(LESSONS.length);
    expect(exact(warm.posterior)).toBe(exact(fold));
    expect(exact(cold.posterior)).toBe(exact(fold));
    // The generator folded the same events in the same order without the store: the same numbers again.
    expect(exact(generator)).toBe(exact(fold));

    // A selection through the service draws from exactly those numbers.
    const service = new BanditService(db.store, RULES, db.sql);
    const selection = await service.selectLessons('fold-last', { text: 'the deploy broke', model: 'm1', category: 'c1', seed: 'last' });
    const expected = candidatePosteriors(
      selection.candidates.map((c) => c.lessonId),
      { model: 'm1', category: 'c1' },
      fold,
      RULES,
    );
    expect(selection.candidates.map(({ lessonId, armKey, alpha, beta }) => ({ lessonId, armKey, alpha, beta }))).toEqual(expected);
    expect(selection.candidates.some((c) => c.armKey.includes('|'))).toBe(true);
  }, 300_000);
});
