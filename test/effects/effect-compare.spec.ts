/** Lesson effects under two rule sets side by side: what differs (sign, significance, discovery, presence). */
import { compareEffectRows } from '../../src/rule-set-analyses/effect-compare.js';

const row = (lessonId: string, effect: number | null, significant = false, discovery: boolean | null = false) => ({
  lessonId, effect, lower: effect === null ? null : effect - 0.1, upper: effect === null ? null : effect + 0.1, n: 10, p: effect === null ? null : 0.5, q: effect === null ? null : 0.5, significant, discovery,
});

describe('compareEffectRows', () => {
  it('names what differs per lesson and leaves agreeing lessons with differs null', () => {
    const rows = compareEffectRows(
      'randomized-holdout',
      [row('same', 0.2, true, true), row('flips', 0.1), row('sig', 0.3, true, true), row('only-a', 0.1), row('none', null)],
      [row('same', 0.25, true, true), row('flips', -0.1), row('sig', 0.3, true, false), row('only-b', 0.1), row('none', null)],
    );
    expect(rows.map((r) => [r.lessonId, r.differs])).toEqual([
      ['flips', 'sign 1 -> -1'],
      ['none', null],
      ['only-a', 'estimated under a only'],
      ['only-b', 'estimated under b only'],
      ['same', null],
      ['sig', 'a discovery under a only'],
    ]);
    expect(rows[0]).toMatchObject({ method: 'randomized-holdout', a: { effect: 0.1 }, b: { effect: -0.1 } });
  });
});
