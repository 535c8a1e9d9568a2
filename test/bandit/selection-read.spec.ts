/**
 * Lesson selection starts from the lesson-catalogue and bandit-sessions read models, then follows the log
 * after their checkpoints, instead of folding the whole log: before every selection, the candidates, their arm, alpha and
 * beta (undiscounted and with gamma 0.9) must equal a fold of the whole log, bit for bit, both from a cold
 * selection state and from the selecting services' warm ones, and the seeded thetas must be the draws from
 * those alpha/beta. Checked with the read models never built (the service folds
 * the log), running beside the selections (own appends in the tail), and stopped behind the log while
 * lessons change (archived, keywords added, deleted, created) and sessions are selected and rewarded.
 */
import type { LessonArmsSampledData } from '../../contracts/bandit.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { comparePositions } from '../../contracts/envelope.js';
import { banditSessions } from '../../projections/bandit/bandit-sessions.js';
import { banditRules, type BanditRules } from '../../projections/bandit/bandit-rules.js';
import { lessonCatalogue } from '../../projections/lessons/lesson-catalogue.js';
import { armForSelection, foldPosteriors, POSTERIOR_EVENT_TYPES, summarizeArm, type PosteriorState } from '../../projections/bandit/posterior.js';
import { BanditService, type SelectionRequest } from '../../src/bandit/bandit.service.js';
import { seededBetaSampler } from '../../src/bandit/beta-sampler.js';
import { isSelectable } from '../../src/bandit/selectable-lessons.js';
import { SelectionState } from '../../src/bandit/selection-state.js';
import type { LessonCommand } from '../../src/lessons/domain/lesson-commands.js';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { foldLesson } from '../../src/lessons/domain/evolve-lesson.js';
import { matchLessons } from '../../src/lessons/domain/lesson-matcher.js';
import { isLessonEventType, lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { loadLesson, toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { readWholeLog } from '../../src/event-store/read-whole-log.js';
import { currentInstanceId } from '../../src/projection-engine/instances/current-instance.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { createSimLessons, visibleThrough } from '../lifecycle/support/simulation.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
// No holdout coin and no inclusion estimate: the spec compares every candidate with the whole-log fold's.
const PLAIN = banditRules({ holdoutRate: 0, inclusionDraws: 0 });
const DECAY = banditRules({ gamma: 0.9, minContextCount: 4, holdoutRate: 0, inclusionDraws: 0 });
const SELECTABLE = ['draft', 'active', 'automated'];

interface Input {
  lessonId: string;
  armKey: string;
  alpha: number;
  beta: number;
}

const armInputs = (lessonIds: readonly string[], state: PosteriorState, rules: BanditRules, context: SelectionRequest): Input[] =>
  lessonIds.map((lessonId) => {
    const armKey = armForSelection(state, lessonId, context, rules);
    const { alpha, beta } = summarizeArm(state, armKey, rules);
    return { lessonId, armKey, alpha, beta };
  });

describe('lesson selection from read models + tail = fold of the whole log', () => {
  let db: TestDatabase;
  let engine: ProjectionEngine | undefined;
  let step = 0;
  const seen = { contextArms: 0, read: 0, folded: 0, decayDiffers: 0 };

  /** What a fold of the whole log gives a selection: the matching selectable lessons and their arms. */
  async function fromWholeLog(rules: BanditRules, request: SelectionRequest): Promise<Input[]> {
    const all = await readWholeLog(db.store);
    const streams = new Map<string, RecordedEvent[]>();
    for (const e of all.filter((e) => isLessonEventType(e.type))) {
      const id = (e.data as { lessonId: string }).lessonId;
      streams.set(id, [...(streams.get(id) ?? []), e]);
    }
    const lessons = [...streams.values()].map((events) => foldLesson(events)!).filter((l) => !l.deleted && SELECTABLE.includes(l.status));
    const ids = matchLessons(lessons, { text: request.text, toolsUsed: request.tools ?? [] }).map((m) => m.lesson.lessonId);
    const posterior = foldPosteriors(all.filter((e) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type)), rules);
    return armInputs(ids, posterior, rules, request);
  }

  async function read(rules: BanditRules, request: SelectionRequest): Promise<{ inputs: Input[]; foldReason: string | null }> {
    // A cold state here (started from the read models or the log, then the tail); the services' selections below use their warm ones.
    const state = await new SelectionState(db.store, rules, db.sql).catchUp();
    const lessons = [...state.lessons.values()].filter(isSelectable);
    const ids = matchLessons(lessons, { text: request.text, toolsUsed: request.tools ?? [] }).map((m) => m.lesson.lessonId);
    return { inputs: armInputs(ids, state.posterior, rules, request), foldReason: state.foldReason };
  }

  /** Compares both rule sets' inputs with the fold, then selects (and maybe rewards) through `service`. */
  async function session(service: BanditService, expectRead: boolean): Promise<void> {
    const i = step++;
    const request: SelectionRequest = {
      text: i % 4 === 0 ? 'the deploy broke the database' : 'the deploy broke',
      ...(i % 3 === 0 ? { tools: ['shell'] } : {}),
      model: `m${i % 2}`,
      ...(i % 5 === 0 ? { category: 'workflow' } : {}),
      seed: `sel-${i}`,
      occurredAt: at(10 + 2 * i),
    };
    for (const rules of [PLAIN, DECAY]) {
      const expected = await fromWholeLog(rules, request);
      const got = await read(rules, request);
      expect(got.inputs).toEqual(expected);
      if (expectRead) expect(got.foldReason).toBeNull();
      else expect(got.foldReason).toEqual(expect.stringContaining('has not been built'));
      seen.contextArms += expected.filter((c) => c.armKey.includes('|')).length;
    }
    const plain = await fromWholeLog(PLAIN, request);
    const decayed = await fromWholeLog(DECAY, request);
    if (plain.some((c, k) => c.alpha !== decayed[k]!.alpha)) seen.decayDiffers++;
    const expected = service.rules === PLAIN ? plain : decayed;
    const draw = seededBetaSampler(request.seed!);
    const selection = await service.selectLessons(`s-${i}`, request);
    // The service's own draw: the same inputs and the thetas the seed gives for them, in the matcher's order.
    expect(selection.candidates).toEqual(expected.map((c) => ({ ...c, theta: draw(c.alpha, c.beta) })));
    expect(selection.candidates.length).toBeGreaterThan(0);
    if (expectRead) seen.read++;
    else seen.folded++;
    if (i % 7 !== 6) {
      const reward = (i * 37) % 10 < 6 ? 1 : 0.25;
      // A few sessions are selected again before their reward: the second selection is the one rewarded.
      if (i % 6 === 1) await service.selectLessons(`s-${i}`, { ...request, seed: `again-${i}`, text: 'the deploy broke the database' });
      await service.recordOutcome(`s-${i}`, { reward, occurredAt: at(11 + 2 * i) });
    }
    await visibleThrough(db.store, service.lastWrittenPosition!);
  }

  async function change(lessonId: string, command: LessonCommand): Promise<void> {
    const loaded = await loadLesson(db.store, lessonId);
    const drafts = decideLesson(loaded.state, command);
    const result = await db.store.appendToStream(lessonStreamId(lessonId), toNewEvents(drafts, { occurredAt: at(5), source: 'test', actor: 'carol' }), {
      expectedRevision: loaded.expectedRevision,
    });
    await visibleThrough(db.store, result.position);
  }

  async function untilHead(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (const projection of [lessonCatalogue, banditSessions]) {
      for (;;) {
        const id = await currentInstanceId(db.sql, projection.name);
        const { rows } = id ? await db.sql.query<{ c: string; p: string }>('SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_instances WHERE instance_id = $1', [id]) : { rows: [] };
        const head = await db.store.headPosition();
        if (rows[0] && head && comparePositions({ commit: BigInt(rows[0].c), prepare: BigInt(rows[0].p) }, head) >= 0) break;
        if (Date.now() > deadline) throw new Error(`${projection.name} did not reach the head`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    await createSimLessons(db.store);
    await change('lesson-tool', { kind: 'create', lessonId: 'lesson-tool', title: 'Shell', category: 'tools', body: '# Shell\n', match: { tools: ['shell'] } });
    await change('lesson-db', { kind: 'create', lessonId: 'lesson-db', title: 'Database', category: 'workflow', body: '# Database\n', match: { keywords: ['database'] } });
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
    await db?.close();
  });

  it('read models never built: the service folds the log, with the same inputs', async () => {
    const service = new BanditService(db.store, PLAIN, db.sql);
    for (let k = 0; k < 12; k++) await session(service, false);
    expect(seen.folded).toBe(12);
  }, 60_000);

  it('read models running beside the selections (own appends in the tail): same inputs, undiscounted and discounted', async () => {
    engine = new ProjectionEngine({ sql: db.sql, store: db.store, projections: [lessonCatalogue, banditSessions], options: { processor: { pollIntervalMs: 20, instanceCheckMs: 200 }, reconcileIntervalMs: 200 } });
    await engine.start();
    await untilHead();
    const plain = new BanditService(db.store, PLAIN, db.sql);
    const decay = new BanditService(db.store, DECAY, db.sql);
    for (let k = 0; k < 16; k++) await session(k % 2 ? decay : plain, true);
    // Not vacuous: contextual arms were drawn from and the decay changed alpha.
    expect(seen.contextArms).toBeGreaterThan(0);
    expect(seen.decayDiffers).toBeGreaterThan(0);
  }, 120_000);

  it('read models behind the log while lessons change and sessions are rewarded: the tail closes the gap', async () => {
    await untilHead();
    await engine!.stop();
    engine = undefined;
    const plain = new BanditService(db.store, PLAIN, db.sql);
    const decay = new BanditService(db.store, DECAY, db.sql);
    await session(decay, true);
    await change('lesson-medium', { kind: 'change-status', to: 'archived', reason: 'replaced' });
    await session(plain, true);
    await change('lesson-db', { kind: 'change-match', add: { keywords: ['broke'] } });
    await session(decay, true);
    await change('lesson-tool', { kind: 'delete', reason: 'gone' });
    await change('lesson-new', { kind: 'create', lessonId: 'lesson-new', title: 'New', category: 'workflow', body: '# New\n', match: { keywords: ['deploy'] } });
    for (let k = 0; k < 5; k++) await session(k % 2 ? plain : decay, true);
    const all = await readWholeLog(db.store);
    const last = all.filter((e) => e.type === 'LessonArmsSampled').at(-1)!.data as LessonArmsSampledData;
    // The tail's lesson changes reached the selection: archived and deleted lessons gone, new and re-keyed ones drawn.
    expect(last.candidates.map((c) => c.lessonId).sort()).toEqual(expect.arrayContaining(['lesson-db', 'lesson-new']));
    expect(last.candidates.map((c) => c.lessonId)).not.toContain('lesson-medium');
    expect(last.candidates.map((c) => c.lessonId)).not.toContain('lesson-tool');
  }, 120_000);
});
