/**
 * The service's hot path folds its own appends when they commit, ahead of the log's read. After a few thousand
 * seeded sessions run concurrently through two services (two processes sharing the store: each sees the other's
 * events only through the log, often after its own later ones), each service's posteriors equal a fold of the
 * whole log bit for bit, with decay, fractional rewards, salience weights and context arms, where the order of the
 * floating-point operations shows; also where open sessions are bounded to 2 in memory (the rest read back from
 * their streams when rewarded). On PostgreSQL a transaction held open stops the log's read (its horizon); a
 * selection still draws from the reward the service has just recorded, at once.
 */
import pg from 'pg';
import { banditRules } from '../../projections/bandit/bandit-rules.js';
import { foldPosteriors, POSTERIOR_EVENT_TYPES, type PosteriorState } from '../../projections/bandit/posterior.js';
import { BanditService } from '../../src/bandit/bandit.service.js';
import { seededBetaSampler } from '../../src/bandit/beta-sampler.js';
import { candidatePosteriors } from '../../src/bandit/select-arms.js';
import { SelectionState } from '../../src/bandit/selection-state.js';
import { readWholeLog } from '../../src/event-store/read-whole-log.js';
import { createSimLessons, visibleThrough } from '../lifecycle/support/simulation.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const RULES = banditRules({ gamma: 0.97, minContextCount: 5, salienceWeighting: true, topK: 3, holdoutRate: 0.2, inclusionDraws: 20 });
const LESSONS = Array.from({ length: 8 }, (_, i) => `lesson-${i}`);
const SESSIONS = 1500;
const WORKERS = 8;

const exact = (state: PosteriorState) => JSON.stringify({ step: state.step, arms: Object.entries(state.arms).sort(([a], [b]) => (a < b ? -1 : 1)) });
const stateOf = (service: BanditService) => (service as unknown as { selectionState: SelectionState }).selectionState;

describe('own appends folded at commit = fold of the whole log, bit for bit', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
    await createSimLessons(db.store, LESSONS);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  async function wholeLogFold(): Promise<PosteriorState> {
    const events = (await readWholeLog(db.store)).filter((e) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type));
    return foldPosteriors(events, RULES);
  }

  /** Session n: a selection, then (mostly) a fractional reward, some with salience; every 13th is never rewarded. */
  async function session(service: BanditService, n: number, uniform: () => number): Promise<void> {
    const sessionId = `own-${n}`;
    await service.selectLessons(sessionId, { text: 'the deploy broke', model: `m${n % 3}`, ...(n % 4 ? { category: `c${n % 2}` } : {}), seed: `s-${n}` });
    if (n % 13 === 7) return;
    const salience = n % 5 === 0 ? { [LESSONS[n % LESSONS.length]!]: 0.5, [LESSONS[(n + 3) % LESSONS.length]!]: 2 } : undefined;
    await service.recordOutcome(sessionId, { reward: (Math.round(uniform() * 8) / 8) * (n % 7 === 3 ? 1 / 3 : 1), ...(salience ? { salience } : {}) });
  }

  it('two services selecting and rewarding concurrently each hold the exact numbers of the fold', async () => {
    const a = new BanditService(db.store, RULES, db.sql);
    // b keeps 2 open sessions in memory: most of its rewards read their selection from the session's stream.
    const b = new BanditService(db.store, RULES, db.sql, undefined, 2);
    let next = 0;
    const worker = async (w: number) => {
      const uniform = seededBetaSampler(`rewards-${w}`);
      const draw = () => Math.min(1, Math.max(0, uniform(1, 1)));
      for (let n = next++; n < SESSIONS; n = next++) await session(w % 4 === 3 ? b : a, n, draw);
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

    // The log's read can lag the services' own appends (PostgreSQL's horizon): compare once it shows them all.
    for (const service of [a, b]) await visibleThrough(db.store, service.lastWrittenPosition!);
    const fold = await wholeLogFold();
    expect(fold.step).toBeGreaterThan(SESSIONS * 0.85);
    expect(Object.keys(fold.arms).filter((k) => k.includes('|')).length).toBeGreaterThan(LESSONS.length);
    for (const service of [a, b]) expect(exact((await stateOf(service).catchUp()).posterior)).toBe(exact(fold));
    expect(exact((await new SelectionState(db.store, RULES, db.sql).catchUp()).posterior)).toBe(exact(fold));
    const bounded = await new SelectionState(db.store, RULES, db.sql, undefined, 2).catchUp();
    expect(exact(bounded.posterior)).toBe(exact(fold));
    expect(Object.keys(bounded.posterior.sessions).length).toBeLessThan(Object.keys(fold.sessions).length);
  }, 300_000);

  (process.env.DATABASE_URL ? it : it.skip)(`PostgreSQL${process.env.DATABASE_URL ? '' : ' (not run: DATABASE_URL is not set; PGlite has one connection)'}: a selection draws from the reward just recorded while an open transaction holds the log read back`, async () => {
    const service = new BanditService(db.store, RULES, db.sql);
    await service.selectLessons('held-0', { text: 'the deploy broke', model: 'm0', seed: 'h0' });
    const blocker = new pg.Client({ connectionString: await databaseUrl(db) });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()');
      const reward = await service.recordOutcome('held-0', { reward: 0.625 });
      const started = performance.now();
      const selection = await service.selectLessons('held-1', { text: 'the deploy broke', model: 'm0', seed: 'h1' });
      expect(performance.now() - started).toBeLessThan(2000);
      const head = await db.store.headPosition();
      expect(head!.prepare).toBeLessThan(BigInt(reward.globalPosition));
      await blocker.query('COMMIT');
      await visibleThrough(db.store, service.lastWrittenPosition!);
      const fold = await wholeLogFold();
      // The fold of the whole log without held-1's own selection: what held-1 drew from.
      const expected = candidatePosteriors(selection.candidates.map((c) => c.lessonId), { model: 'm0' }, fold, RULES);
      expect(selection.candidates.map(({ lessonId, armKey, alpha, beta }) => ({ lessonId, armKey, alpha, beta }))).toEqual(expected);
    } finally {
      await blocker.end();
    }
  }, 60_000);
});

async function databaseUrl(db: TestDatabase): Promise<string> {
  const { rows } = await db.sql.query<{ name: string }>('SELECT current_database() AS name');
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}
