/**
 * The planted failure world (bench/gen-history/failure-world) through detection in memory: the drafts it
 * proposes against the ground truth. Two seeds of the small world.
 */
import { newEvent } from '../../contracts/catalogue.js';
import type { LessonDraftProposedData } from '../../contracts/drafts.js';
import { conversationText, detectWorld, worldOutcomeId, type WorldDetection } from '../../bench/gen-history/failure-world/detect-world.js';
import { simulateDay, type FailureCause } from '../../bench/gen-history/failure-world/simulate-failures.js';
import { SMALL_FAILURE_WORLD, type FailureWorldConfig } from '../../bench/gen-history/failure-world/world-config.js';
import { DEFAULT_DRAFT_RULES } from '../../projections/drafts/draft-rules.js';
import { anyKeywordMatches } from '../../src/drafts/domain/choose-keywords.js';

interface Judged {
  detection: WorldDetection;
  causes: Map<string, { cause: FailureCause; patternId: string | null }>;
  /** Draft id -> the planted pattern most of its evidence comes from, and that share. */
  mapped: Map<string, { patternId: string | null; share: number; causes: Set<FailureCause> }>;
  /** Draft id -> matched shares on the days after its keywords were chosen. */
  later: Map<string, { failing: number; failingMatched: number; passing: number; passingMatched: number }>;
}

function judge(config: FailureWorldConfig): Judged {
  const detection = detectWorld(config, DEFAULT_DRAFT_RULES);
  const causes = new Map<string, { cause: FailureCause; patternId: string | null }>();
  const later = new Map<string, { failing: number; failingMatched: number; passing: number; passingMatched: number }>();
  const mapped = new Map<string, { patternId: string | null; share: number; causes: Set<FailureCause> }>();
  const firstDay = Date.parse(`${config.startDate}T00:00:00Z`);
  for (let day = 0; day < config.days; day++) {
    const at = firstDay + day * 86_400_000;
    for (const o of simulateDay(config, detection.truth, day).outcomes) {
      if (!o.passed) causes.set(worldOutcomeId(o), { cause: o.cause, patternId: o.patternId });
      if (o.messages === null) continue;
      let text: string | null = null;
      for (const draft of detection.proposals) {
        if (at < Date.parse(draft.match.chosenTo)) continue;
        const counts = later.get(draft.draftId) ?? { failing: 0, failingMatched: 0, passing: 0, passingMatched: 0 };
        later.set(draft.draftId, counts);
        const hit = () => anyKeywordMatches(draft.match.keywords, (text ??= conversationText(o)));
        if (o.passed) {
          counts.passing += 1;
          if (hit()) counts.passingMatched += 1;
        } else if (o.patternId !== null && o.patternId === majorityPattern(draft, causes)) {
          counts.failing += 1;
          if (hit()) counts.failingMatched += 1;
        }
      }
    }
  }
  for (const draft of detection.proposals) {
    const evidence = draft.evidence.map((e) => causes.get(e.outcomeEventId)!);
    const patternId = majorityPattern(draft, causes);
    const share = evidence.filter((e) => e.patternId === patternId && patternId !== null).length / evidence.length;
    mapped.set(draft.draftId, { patternId, share, causes: new Set(evidence.map((e) => e.cause)) });
  }
  return { detection, causes, mapped, later };
}

function majorityPattern(draft: LessonDraftProposedData, causes: Map<string, { patternId: string | null }>): string | null {
  const counts = new Map<string | null, number>();
  for (const e of draft.evidence) {
    const id = causes.get(e.outcomeEventId)?.patternId ?? null;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

describe.each([SMALL_FAILURE_WORLD.seed, 7])('the planted failure world, seed %i', (seed) => {
  let world: Judged;
  beforeAll(() => {
    world = judge({ ...SMALL_FAILURE_WORLD, seed });
  });

  it('plants at least 20 recurring patterns, some covered by a lesson, with infra, flaky, one-off and generic noise', () => {
    const { truth } = world.detection;
    expect(truth.patterns.length).toBeGreaterThanOrEqual(20);
    expect(truth.patterns.filter((p) => p.covered).length).toBeGreaterThanOrEqual(3);
    const causes = new Set([...world.causes.values()].map((c) => c.cause));
    expect([...causes].sort()).toEqual(['flaky', 'generic', 'infra', 'one-off', 'outage', 'pattern']);
  });

  it('drafts at least 80% of the planted uncovered patterns', () => {
    const uncovered = world.detection.truth.patterns.filter((p) => !p.covered).map((p) => p.id);
    const drafted = new Set([...world.mapped.values()].map((m) => m.patternId));
    const found = uncovered.filter((id) => drafted.has(id));
    expect(found.length / uncovered.length).toBeGreaterThanOrEqual(0.8);
  });

  it('maps every draft to one planted pattern: none comes from infra, flaky, one-off or generic failures', () => {
    expect(world.detection.proposals.length).toBeGreaterThan(0);
    for (const [draftId, m] of world.mapped) {
      expect({ draftId, patternId: m.patternId, causes: [...m.causes] }).toEqual({ draftId, patternId: expect.stringMatching(/^pattern-/), causes: ['pattern'] });
      expect(m.share).toBe(1);
    }
  });

  it('drafts nothing a planted lesson already covers, and one draft per pattern', () => {
    const covered = new Set(world.detection.truth.patterns.filter((p) => p.covered).map((p) => p.id));
    const ids = [...world.mapped.values()].map((m) => m.patternId);
    expect(ids.filter((id) => covered.has(id!))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(world.detection.covered.size).toBeGreaterThan(0);
  });

  it('keywords chosen on the training days match >= 70% of the pattern\'s later failing logs and <= 10% of later passing logs', () => {
    let judged = 0;
    for (const draft of world.detection.proposals) {
      const later = world.later.get(draft.draftId);
      if (!later || later.failing < 5) continue;
      judged += 1;
      expect({ draft: draft.pattern.key, failing: later.failingMatched / later.failing >= 0.7 }).toEqual({ draft: draft.pattern.key, failing: true });
      expect({ draft: draft.pattern.key, passing: later.passingMatched / later.passing <= 0.1 }).toEqual({ draft: draft.pattern.key, passing: true });
    }
    expect(judged).toBeGreaterThanOrEqual(world.detection.proposals.length / 2);
  });

  it('every draft is a valid LessonDraftProposed in gptme lesson format with status draft', () => {
    for (const draft of world.detection.proposals) {
      expect(() => newEvent('LessonDraftProposed', draft, { occurredAt: '2026-06-01T00:00:00Z', source: 'test' }, draft.draftId)).not.toThrow();
      expect(draft.lesson.file).toMatch(/^---\nmatch:\n {2}keywords:\n/);
      expect(draft.lesson.file).toContain('\nstatus: draft\n---\n# ');
      expect(draft.lesson.body).toMatch(/## Rule[\s\S]*## Detection[\s\S]*## Evidence/);
    }
  });
});
