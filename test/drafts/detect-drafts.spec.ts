/**
 * Lesson-draft detection against the store and a log root on disk: signatures recorded per failing outcome
 * (bad logs recorded with the reader's reason, nothing of them half-kept), one draft per recurring pattern,
 * idempotent, a killed detector appending each draft once; accept creates a draft lesson whose audit reaches
 * back to the evidence; reject records who and why.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FailureSignaturesRecordedData, LessonDraftRejectedData } from '../../contracts/drafts.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { detectDrafts, type DetectDraftsOptions } from '../../src/drafts/detection/detect-drafts.js';
import { TemplateDrafter } from '../../src/drafts/drafter/template-drafter.js';
import { DraftAlreadyReviewedError, DraftNotFoundError } from '../../src/drafts/review/draft-decider.js';
import { acceptDraft, readDraft, rejectDraft } from '../../src/drafts/review/review-draft.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { auditLessonFromStore } from '../../src/lifecycle/audit/lesson-audit.service.js';
import { renderAudit } from '../../src/lifecycle/audit/render-audit.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { BAD, MODELS, plantStoreWorld, RUNS, STORE_WORLD_RULES } from './support/store-world.js';

const all = async (store: EventStore) => store.readAll({ maxCount: 100_000 });
const ofType = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type);
const reviewer = (actor: string) => ({ occurredAt: '2026-03-20T00:00:00Z', source: 'test', actor });

describe('lesson drafts from the store', () => {
  let db: TestDatabase;
  let store: EventStore;
  let logRoot: string;
  let options: DetectDraftsOptions;

  beforeAll(async () => {
    db = await openTestDatabase();
    store = withCatalogue(db.store);
    logRoot = await mkdtemp(path.join(os.tmpdir(), 'll-drafts-'));
    await plantStoreWorld(store, logRoot);
    options = { logRoot, rules: STORE_WORLD_RULES, ruleSet: { id: 'default', version: 0 }, drafter: new TemplateDrafter() };
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await rm(logRoot, { recursive: true, force: true });
    await rm(`${logRoot}-outside`, { recursive: true, force: true });
  });

  it('without a log root reads no log, says why, and appends nothing', async () => {
    const before = (await all(store)).length;
    const result = await detectDrafts(store, { ...options, logRoot: undefined });
    expect(result.logRootProblem).toMatch(/LESSONLOOP_LOG_ROOT is not set/);
    expect(result.drafts).toEqual([]);
    expect((await all(store)).length).toBe(before);
  });

  it('a detector killed after its first draft appends, when run again, each draft once', async () => {
    const kill = new Error('killed');
    await expect(detectDrafts(store, { ...options, afterDraft: () => Promise.reject(kill) })).rejects.toBe(kill);
    expect(ofType(await all(store), 'LessonDraftProposed')).toHaveLength(1);
    const result = await detectDrafts(store, options);
    const proposed = ofType(await all(store), 'LessonDraftProposed');
    expect(result.drafts.map((d) => d.pattern.testFamily).sort()).toEqual(['json-parse', 'rust-build']);
    expect(proposed.map((e) => e.eventId).sort()).toEqual(result.drafts.map((d) => d.draftId).sort());
    expect(result.appended).toBe(1);
  });

  it('records one signature event per failing outcome with a log; bad logs (also a symlink out of the root) with the reader\'s reason and no signature', async () => {
    const signatures = ofType(await all(store), 'FailureSignaturesRecorded').map((e) => e.data as FailureSignaturesRecordedData);
    expect(signatures).toHaveLength(RUNS.length * MODELS.length * 4 + 4);
    const bad = signatures.filter((s) => s.read !== 'ok').map((s) => ({ logDir: s.logDir, read: s.read, line: s.line, none: s.signatures.length === 0 }));
    expect(bad.sort((a, b) => a.logDir.localeCompare(b.logDir))).toEqual([
      { logDir: BAD.outside, read: 'outside-root', line: undefined, none: true },
      { logDir: BAD.malformed, read: 'malformed', line: 2, none: true },
      { logDir: BAD.unreadable, read: 'unreadable', line: undefined, none: true },
      { logDir: BAD.symlinked, read: 'outside-root', line: undefined, none: true },
    ]);
    for (const s of signatures.filter((x) => x.read !== 'ok')) expect(s.readError).toMatch(/^\S.*: (outside-root|malformed|unreadable): .+/);
    const json = signatures.find((s) => s.outcome.test === 'json-parse-1' && s.read === 'ok')!;
    expect(json.signatures[0]).toMatchObject({ kind: 'exception', key: 'ValueError: unexpected token in JSON payload at offset <n>' });
  });

  it('detecting again appends nothing', async () => {
    const before = (await all(store)).length;
    const result = await detectDrafts(store, options);
    expect(result.appended).toBe(0);
    expect(result.drafts).toHaveLength(2);
    expect((await all(store)).length).toBe(before);
  });

  it('each draft carries its evidence, keywords that match its failures, and status draft', async () => {
    const { drafts } = await detectDrafts(store, { ...options, dryRun: true });
    for (const d of drafts) {
      expect(d.evidence).toHaveLength(RUNS.length * MODELS.length * 2);
      expect(d.statistics).toMatchObject({ runs: RUNS.length, models: MODELS.length });
      expect(d.match.failingMatched).toBe(1);
      expect(d.match.passingMatched).toBe(0);
      expect(d.lesson.file).toContain('\nstatus: draft\n');
    }
  });

  it('accept creates a draft lesson whose audit reaches back to the pattern and outcomes', async () => {
    const [draft] = (await detectDrafts(store, { ...options, dryRun: true })).drafts.filter((d) => d.pattern.testFamily === 'json-parse');
    const { lessonId, created } = await acceptDraft(store, draft!.draftId, reviewer('alice'));
    expect(created).toBe(true);
    const lesson = await store.readStream(lessonStreamId(lessonId));
    expect(lesson[0]).toMatchObject({ type: 'LessonCreated', data: { status: 'draft', path: draft!.lesson.path, match: { keywords: draft!.match.keywords } } });
    const before = (await all(store)).length;
    expect(await acceptDraft(store, draft!.draftId, reviewer('alice'))).toEqual({ lessonId, created: false });
    expect((await all(store)).length).toBe(before);
    const audit = await auditLessonFromStore(store, lessonId);
    expect(audit.origin).toMatchObject({ draftId: draft!.draftId, acceptedBy: 'alice', pattern: { key: draft!.pattern.key } });
    expect(audit.origin!.evidence.map((e) => e.outcomeEventId)).toEqual(draft!.evidence.map((e) => e.outcomeEventId));
    expect(renderAudit(audit)).toContain(`began as lesson draft ${draft!.draftId}`);
    await expect(rejectDraft(store, draft!.draftId, 'too late', reviewer('bob'))).rejects.toBeInstanceOf(DraftAlreadyReviewedError);
  });

  it('reject records who and why; the draft can no longer be accepted; an unknown draft is refused', async () => {
    const [draft] = (await detectDrafts(store, { ...options, dryRun: true })).drafts.filter((d) => d.pattern.testFamily === 'rust-build');
    await rejectDraft(store, draft!.draftId, 'a build flake, not a lesson', reviewer('bob'));
    const state = await readDraft(store, draft!.draftId);
    expect(state.review).toMatchObject({ status: 'rejected', actor: 'bob', reason: 'a build flake, not a lesson' } satisfies Partial<LessonDraftRejectedData> & { status: string });
    await expect(acceptDraft(store, draft!.draftId, reviewer('alice'))).rejects.toBeInstanceOf(DraftAlreadyReviewedError);
    await expect(acceptDraft(store, '00000000-0000-5000-8000-000000000000', reviewer('alice'))).rejects.toBeInstanceOf(DraftNotFoundError);
  });
});
