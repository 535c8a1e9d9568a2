/**
 * The lifecycle side of a compare, worked by hand (see hand-worked-rewards.ts for the arithmetic): which rule set
 * archives, promotes, expands the keywords of or flags which lesson on which reward.
 */
import { recordedEvents } from '../../projections/machinery/testing.js';
import { advanceLifecycleFold, compareLifecycle, lifecycleRules, newLifecycleFold } from '../../src/rule-set-analyses/lifecycle-compare.js';
import { handWorld, RULES_A, RULES_B } from './hand-worked-rewards.js';

const world = handWorld();
const events = recordedEvents(world.appends.flatMap((a) => a.events.map((e) => ({ ...e, streamId: a.streamId }))));
const outcomes = (id: string, parameters: Record<string, unknown>) => advanceLifecycleFold(newLifecycleFold(), events, lifecycleRules(id, parameters)).outcomes;
const reward = (lessonId: string, k: number) => world.rewardIds[lessonId]![k]!;

describe('lifecycle compare on a fixed reward sequence (hand-worked)', () => {
  it('takes each decision on the reward worked out by hand, under each rule set', () => {
    const trigger = (o: ReturnType<typeof outcomes>) =>
      Object.fromEntries([...o].map(([lesson, kinds]) => [lesson, Object.fromEntries(Object.entries(kinds).map(([k, p]) => [k, p!.triggeringEventId]))]));
    expect(trigger(outcomes('a', RULES_A))).toEqual({
      slow: { archive: reward('slow', 5) },
      proven: { promote: reward('proven', 4), 'expand-keywords': reward('proven', 4) },
    });
    expect(trigger(outcomes('b', RULES_B))).toEqual({
      slow: { archive: reward('slow', 4) },
      middling: { 'flag-mutation': reward('middling', 6) },
      proven: { promote: reward('proven', 5), 'expand-keywords': reward('proven', 5) },
    });
  });

  it('lists archive, promote, keyword expansion and flag for mutation differences, with the reason', () => {
    const differences = compareLifecycle(outcomes('a', RULES_A), outcomes('b', RULES_B));
    expect(differences.map((d) => [d.lessonId, d.decision, d.underA?.triggeringEventId ?? null, d.underB?.triggeringEventId ?? null])).toEqual([
      ['middling', 'flag-mutation', null, reward('middling', 6)],
      ['proven', 'promote', reward('proven', 4), reward('proven', 5)],
      ['proven', 'expand-keywords', reward('proven', 4), reward('proven', 5)],
      ['slow', 'archive', reward('slow', 5), reward('slow', 4)],
    ]);
    expect(differences[0]!.reason).toMatch(/^flagged for mutation under b \(at .*\), not under a$/);
    expect(differences[2]!.reason).toMatch(/^keywords expanded under both, at .* under a and .* under b$/);
  });

  it('two rule sets differing only in flag rules differ only in the flag', () => {
    const differences = compareLifecycle(outcomes('a', { ...RULES_B, flagMinRewards: 1000 }), outcomes('b', RULES_B));
    expect(differences.map((d) => [d.lessonId, d.decision])).toEqual([['middling', 'flag-mutation']]);
  });
});
