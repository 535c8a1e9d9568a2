/** Valid and invalid examples for the lesson, bandit, analysis and external catalogues. */
import type { z } from 'zod';
import { RuleSetDefinedSchema } from '../../contracts/analysis.js';
import { LessonArmsSampledSchema, SessionRewardObservedSchema } from '../../contracts/bandit.js';
import { ExternalChangeObservedSchema } from '../../contracts/external.js';
import {
  LessonCreatedSchema,
  LessonDeletedSchema,
  LessonEditedSchema,
  LessonMatchChangedSchema,
  LessonMovedSchema,
  LessonMutatedSchema,
  LessonStatusChangedSchema,
} from '../../contracts/lesson.js';

const evidence = {
  numbers: { passRate: 0.42, sessions: 538 },
  eventIds: ['0b7c3a52-3f0e-4b4e-9a51-0f6f0f7b1d11'],
  globalPositions: ['0', '12345678901234567890'],
  rule: 'pass-rate-below-threshold',
};
const match = { keywords: ['git push'], patterns: ['^git (push|commit)'], tools: ['shell'], sessionCategories: ['code'] };

function expectValid(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.error?.issues ?? []).toEqual([]);
}

function expectInvalidAt(schema: z.ZodType, value: unknown, path: string): void {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  expect((result.error?.issues ?? []).map((i) => i.path.join('.'))).toContain(path);
}

describe('lesson events', () => {
  const created = {
    lessonId: 'simplify-before-optimize',
    path: 'patterns/simplify-before-optimize.md',
    title: 'Simplify Before Optimize',
    description: 'Always simplify a system BEFORE optimizing it.',
    category: 'patterns',
    body: '# Simplify Before Optimize\n',
    match,
    status: 'active',
    targetGrade: ['harm', 'productivity'],
    confoundNote: 'selection bias',
    extraFrontmatter: { tags: ['x'], match: { error_signature: 'Exit code 8' } },
  };

  it('LessonCreated: valid, with defaults for match lists left out', () => {
    expectValid(LessonCreatedSchema, created);
    const parsed = LessonCreatedSchema.parse({ ...created, match: { keywords: ['k'] } });
    expect(parsed.match).toEqual({ keywords: ['k'], patterns: [], tools: [], sessionCategories: [] });
  });

  it.each([
    ['an unknown status', { status: 'retired' }, 'status'],
    ['an empty keyword', { match: { keywords: [''] } }, 'match.keywords.0'],
    ['a snake_case match key', { match: { session_categories: ['code'] } }, 'match'],
    ['an empty title', { title: '' }, 'title'],
    ['a non-JSON frontmatter value', { extraFrontmatter: { automated_date: new Date() } }, 'extraFrontmatter.automated_date'],
    ['an empty target grade list', { targetGrade: [] }, 'targetGrade'],
  ])('LessonCreated refuses %s', (_n, overrides, path) => {
    expectInvalidAt(LessonCreatedSchema, { ...created, ...overrides }, path);
  });

  it('LessonEdited needs at least one change, each an actual change', () => {
    expectValid(LessonEditedSchema, { lessonId: 'l', changes: { title: { from: 'a', to: 'b' } } });
    expectValid(LessonEditedSchema, { lessonId: 'l', changes: { description: { from: null, to: 'now described' } } });
    expectValid(LessonEditedSchema, { lessonId: 'l', changes: { targetGrade: { from: 'harm', to: ['harm', 'alignment'] } } });
    expectInvalidAt(LessonEditedSchema, { lessonId: 'l', changes: {} }, 'changes');
    expectInvalidAt(LessonEditedSchema, { lessonId: 'l', changes: { body: { from: 'x', to: 'x' } } }, 'changes.body.to');
    expectInvalidAt(LessonEditedSchema, { lessonId: 'l', changes: { status: { from: 'active', to: 'draft' } } }, 'changes');
    expectInvalidAt(LessonEditedSchema, { lessonId: 'l', changes: { title: { from: 'a', to: null } } }, 'changes.title.to');
  });

  it('LessonMatchChanged needs something added or removed', () => {
    const base = { lessonId: 'l', decidedBy: 'policy', ruleSetId: 'rs-1', evidence };
    expectValid(LessonMatchChangedSchema, { ...base, added: {}, removed: { tools: ['gh'] } });
    expectInvalidAt(LessonMatchChangedSchema, { ...base, added: {}, removed: {} }, 'added');
    expectInvalidAt(LessonMatchChangedSchema, { ...base, added: match, removed: {}, decidedBy: 'robot' }, 'decidedBy');
    expectInvalidAt(
      LessonMatchChangedSchema,
      { ...base, added: match, removed: {}, evidence: { ...evidence, globalPositions: [12] } },
      'evidence.globalPositions.0',
    );
    expectInvalidAt(
      LessonMatchChangedSchema,
      { ...base, added: match, removed: {}, evidence: { ...evidence, globalPositions: ['-1'] } },
      'evidence.globalPositions.0',
    );
    expectInvalidAt(
      LessonMatchChangedSchema,
      { ...base, added: match, removed: {}, evidence: { ...evidence, eventIds: ['evt-1'] } },
      'evidence.eventIds.0',
    );
  });

  it('LessonStatusChanged must change the status', () => {
    const change = { lessonId: 'l', from: 'active', to: 'archived', reason: 'low pass rate', decidedBy: 'policy', ruleSetId: 'rs', ruleSetVersion: 2, evidence };
    expectValid(LessonStatusChangedSchema, change);
    expectInvalidAt(LessonStatusChangedSchema, { ...change, to: 'active' }, 'to');
    expectInvalidAt(LessonStatusChangedSchema, { ...change, reason: '' }, 'reason');
    expectInvalidAt(LessonStatusChangedSchema, { ...change, evidence: { numbers: { x: 'high' }, eventIds: [], globalPositions: [] } }, 'evidence.numbers.x');
  });

  it('LessonMutated, LessonMoved, LessonDeleted', () => {
    const mutated = { lessonId: 'l-v2', parentLessonId: 'l', title: 'T', body: 'B', match, reason: 'shorter' };
    expectValid(LessonMutatedSchema, mutated);
    expectInvalidAt(LessonMutatedSchema, { ...mutated, parentLessonId: 'l-v2' }, 'parentLessonId');
    expectValid(LessonMovedSchema, { lessonId: 'l', fromPath: 'a.md', toPath: 'b/a.md' });
    expectInvalidAt(LessonMovedSchema, { lessonId: 'l', fromPath: 'a.md', toPath: 'a.md' }, 'toPath');
    expectValid(LessonDeletedSchema, { lessonId: 'l', path: 'a.md', reason: 'duplicate' });
    expectInvalidAt(LessonDeletedSchema, { lessonId: 'l', path: 'a.md' }, 'reason');
  });
});

describe('bandit events', () => {
  const sampled = {
    sessionId: 's1',
    context: { model: 'openai/gpt-4o', category: 'code', tools: ['shell'], textDigest: 'sha256:abcd' },
    candidates: [
      { lessonId: 'a', armKey: 'a|code', alpha: 3, beta: 1, theta: 0.8 },
      { lessonId: 'b', armKey: 'b|code', alpha: 1, beta: 1, theta: 0.3 },
    ],
    selected: ['a'],
    policy: { ruleSetId: 'ts-default', version: 1 },
    seed: '42',
  };

  it('LessonArmsSampled', () => {
    expectValid(LessonArmsSampledSchema, sampled);
    expectValid(LessonArmsSampledSchema, { ...sampled, context: {}, selected: [] });
    expectInvalidAt(LessonArmsSampledSchema, { ...sampled, selected: ['c'] }, 'selected.0');
    expectInvalidAt(LessonArmsSampledSchema, { ...sampled, selected: ['a', 'a'] }, 'selected.1');
    expectInvalidAt(LessonArmsSampledSchema, { ...sampled, candidates: [{ ...sampled.candidates[0], alpha: 0 }] }, 'candidates.0.alpha');
    expectInvalidAt(LessonArmsSampledSchema, { ...sampled, candidates: [{ ...sampled.candidates[0], theta: 1.5 }] }, 'candidates.0.theta');
    expectInvalidAt(LessonArmsSampledSchema, { ...sampled, policy: { ruleSetId: 'x', version: 0 } }, 'policy.version');
    expectInvalidAt(LessonArmsSampledSchema, { ...sampled, seed: 42 }, 'seed');
  });

  it('SessionRewardObserved', () => {
    const reward = { sessionId: 's1', reward: 0.75, evalOutcomeIds: ['e1'], salience: { a: 0.9, b: 0 } };
    expectValid(SessionRewardObservedSchema, reward);
    expectValid(SessionRewardObservedSchema, { sessionId: 's1', reward: 0 });
    expectInvalidAt(SessionRewardObservedSchema, { ...reward, reward: 1.01 }, 'reward');
    expectInvalidAt(SessionRewardObservedSchema, { ...reward, salience: { a: -1 } }, 'salience.a');
  });
});

describe('analysis and external events', () => {
  it('RuleSetDefined', () => {
    const ruleSet = { ruleSetId: 'rs-2', name: 'archive losers', parameters: { minSessions: 20, z: 1.0, tags: ['a'], off: null }, basedOn: 'rs-1' };
    expectValid(RuleSetDefinedSchema, ruleSet);
    expectInvalidAt(RuleSetDefinedSchema, { ...ruleSet, basedOn: 'rs-2' }, 'basedOn');
    expectInvalidAt(RuleSetDefinedSchema, { ...ruleSet, parameters: { f: () => 1 } }, 'parameters.f');
    expectInvalidAt(RuleSetDefinedSchema, { ...ruleSet, parameters: [1] }, 'parameters');
  });

  it('ExternalChangeObserved', () => {
    const change = { changeId: 'c1', kind: 'model-api', subject: 'openai/gpt-4o', description: 'new snapshot' };
    expectValid(ExternalChangeObservedSchema, change);
    expectInvalidAt(ExternalChangeObservedSchema, { ...change, kind: 'weather' }, 'kind');
    expectInvalidAt(ExternalChangeObservedSchema, { ...change, subject: '' }, 'subject');
  });
});
