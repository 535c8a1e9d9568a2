/** Given exposure events, then these lesson-effect documents and estimates (rules from a rule set or defaults). */
import { estimateEffect, estimateEffects } from '../../projections/effects/estimate-effects.js';
import { DEFAULT_EFFECT_RULES } from '../../projections/effects/effect-rules.js';
import { effectDocsOf, LESSON_EVIDENCE_TABLE, observationLines, parseStoredObservation, storedObservation, type EvidenceRow } from '../../projections/effects/lesson-effect-evidence.js';
import { effectDocAsOf, lessonEffects, type LessonEffectDoc } from '../../projections/effects/lesson-effects.js';
import { given, type GivenEvent, type GivenOptions } from '../../projections/machinery/testing.js';

/** Every lesson key's counts document with its evidence rows, as the reader assembles them. */
function effectDocs(events: GivenEvent[], options?: GivenOptions): Record<string, LessonEffectDoc> {
  const then = given(lessonEffects, events, options);
  return effectDocsOf(then.documents, then.rows(LESSON_EVIDENCE_TABLE) as unknown as EvidenceRow[]);
}

let outcomes = 0;
function exposure(opts: {
  model?: string;
  category?: string;
  passed: boolean;
  injected?: object[];
  withheld?: object[];
  infra?: boolean;
  outcomeId?: string;
}): GivenEvent {
  outcomes += 1;
  const eventId = opts.outcomeId ?? `10000000-0000-4000-8000-${outcomes.toString(16).padStart(12, '0')}`;
  return {
    type: 'LessonExposureRecorded',
    data: {
      outcome: {
        eventId,
        globalPosition: String(1000 + outcomes),
        runId: 'r',
        test: 't',
        model: opts.model ?? 'm1',
        passed: opts.passed,
        suspectedInfraError: opts.infra ?? false,
      },
      category: opts.category ?? 'code',
      injected: opts.injected ?? [],
      withheld: opts.withheld ?? [],
    },
  };
}
const coinIn = (lessonId: string, extra: object = {}) => ({ lessonId, holdoutRate: 0.1, propensity: 0.45, ...extra });
const coinOut = (lessonId: string, extra: object = {}) => ({ lessonId, withheldBy: 'coin', holdoutRate: 0.1, propensity: 0.45, ...extra });
/** Propensity 0.45 falls in the band [0.4, 0.6) of the default 5 (stratified LOO's strata are cut by band). */
const BAND = '|band:0.4-0.6';

describe('lesson-effects projection', () => {
  it('counts coin-randomized and observational arms per stratum, with evidence', () => {
    const events = [
      exposure({ passed: true, injected: [coinIn('a')] }),
      exposure({ passed: false, injected: [coinIn('a')], withheld: [{ lessonId: 'b', withheldBy: 'cap' }] }),
      exposure({ passed: false, withheld: [coinOut('a')] }),
      exposure({ model: 'm2', passed: true, injected: [{ lessonId: 'a' }] }),
    ];
    const then = effectDocs(events);
    const a = then['id:a']!;
    expect(a.strata[`m1|code${BAND}`]).toEqual({
      coinInjected: { n: 2, passes: 1 },
      coinWithheld: { n: 1, passes: 0 },
      injected: { n: 2, passes: 1 },
      notInjected: { n: 1, passes: 0 },
    });
    expect(a.strata['m2|code']!.injected).toEqual({ n: 1, passes: 1 });
    expect(Object.keys(a.evidence)).toHaveLength(4);
    expect(then['id:b']!.strata['m1|code']!.notInjected).toEqual({ n: 1, passes: 0 });

    const randomized = estimateEffect(a, 'randomized-holdout', DEFAULT_EFFECT_RULES);
    expect(randomized).toMatchObject({ observational: false, n: 3, effect: 0.5, treated: { n: 2, passes: 1 }, control: { n: 1, passes: 0 } });
    expect(randomized.evidence.globalPositions).toEqual(['1001', '1002', '1003']);
    expect(randomized.fisherP).toBeCloseTo(1, 10);
    expect(randomized.significant).toBe(false);
    expect(estimateEffect(a, 'stratified-loo', DEFAULT_EFFECT_RULES)).toMatchObject({ observational: true, n: 4 });
    expect(estimateEffect(a, 'ipw', DEFAULT_EFFECT_RULES)).toMatchObject({ n: 3, clipped: 0 });
    // From the counts alone (GET /lessons/:id/effect?evidence=false): the same numbers, no evidence read.
    const { evidence: _evidence, ...ipw } = estimateEffect(a, 'ipw', DEFAULT_EFFECT_RULES);
    expect(estimateEffect({ ...a, evidence: {} }, 'ipw', DEFAULT_EFFECT_RULES, true)).toEqual({ ...ipw, evidence: { eventIds: [], globalPositions: [] } });
    expect(ipw.treated.n).toBe(2);
  });

  it('keeps per-revision documents, path references and infra errors apart', () => {
    const then = effectDocs([
      exposure({ passed: true, injected: [coinIn('a', { revision: 1 })] }),
      exposure({ passed: true, injected: [coinIn('a', { revision: 2 })], withheld: [{ path: 'lessons/new.md', withheldBy: 'unknown' }] }),
      exposure({ passed: false, infra: true, injected: [coinIn('a', { revision: 2 })] }),
    ]);
    expect(Object.keys(then).sort()).toEqual(['id:a', 'id:a@r1', 'id:a@r2', 'path:lessons/new.md']);
    expect(then['id:a']!.strata[`m1|code${BAND}`]!.coinInjected).toEqual({ n: 2, passes: 2 });
    expect(then['id:a@r2']).toMatchObject({ lessonRef: 'id:a', revision: 2, infraErrorsExcluded: 1 });
    expect(then['id:a']!.infraErrorsExcluded).toBe(1);
  });

  it('counts an outcome once per lesson, whichever source reported it first', () => {
    const outcomeId = '20000000-0000-4000-8000-000000000001';
    const then = effectDocs([
      exposure({ outcomeId, passed: true, injected: [coinIn('a')] }),
      exposure({ outcomeId, passed: true, withheld: [{ lessonId: 'a', withheldBy: 'unknown' }] }),
    ]);
    expect(then['id:a']!.strata[`m1|code${BAND}`]!.notInjected).toEqual({ n: 0, passes: 0 });
    expect(Object.keys(then['id:a']!.evidence)).toEqual([outcomeId]);
  });

  it('a rule set that stratifies by category only merges the models', () => {
    const events = [
      exposure({ model: 'm1', passed: true, injected: [coinIn('a')] }),
      exposure({ model: 'm2', passed: false, withheld: [coinOut('a')] }),
    ];
    const byModel = effectDocs(events)['id:a']!;
    const byCategory = effectDocs(events, { ruleSet: { effectStrata: 'category' } })['id:a']!;
    expect(Object.keys(byModel.strata).sort()).toEqual([`m1|code${BAND}`, `m2|code${BAND}`]);
    expect(estimateEffect(byModel, 'randomized-holdout', DEFAULT_EFFECT_RULES).effect).toBeNull();
    expect(Object.keys(byCategory.strata)).toEqual([`code${BAND}`]);
    expect(estimateEffect(byCategory, 'randomized-holdout', { ...DEFAULT_EFFECT_RULES, effectStrata: 'category' }).effect).toBe(1);
    expect(() => given(lessonEffects, events, { ruleSet: { effectStrata: 'weekday' } })).toThrow();
  });

  it('cuts stratified LOO strata by propensity band; the randomized holdout compares across bands', () => {
    const events = [
      exposure({ passed: true, injected: [coinIn('a', { propensity: 0.1 })] }),
      exposure({ passed: false, withheld: [{ lessonId: 'a', withheldBy: 'cap', propensity: 0.1 }] }),
      exposure({ passed: true, injected: [coinIn('a', { propensity: 0.85 })] }),
      exposure({ passed: false, withheld: [coinOut('a', { propensity: 0.85 })] }),
      exposure({ passed: true, withheld: [{ lessonId: 'a', withheldBy: 'unknown' }] }),
    ];
    const a = effectDocs(events)['id:a']!;
    expect(Object.keys(a.strata).sort()).toEqual(['m1|code', 'm1|code|band:0-0.2', 'm1|code|band:0.8-1']);
    const loo = estimateEffect(a, 'stratified-loo', DEFAULT_EFFECT_RULES);
    expect(loo.strata.map((s) => s.key)).toEqual(['m1|code', 'm1|code|band:0-0.2', 'm1|code|band:0.8-1']);
    const randomized = estimateEffect(a, 'randomized-holdout', DEFAULT_EFFECT_RULES);
    expect(randomized.strata).toEqual([{ key: 'm1|code', treated: { n: 2, passes: 2 }, control: { n: 1, passes: 0 } }]);
    expect(randomized.effect).toBe(1);
    const unbanded = effectDocs(events, { ruleSet: { effectLooPropensityBands: 0 } })['id:a']!;
    expect(Object.keys(unbanded.strata)).toEqual(['m1|code']);
  });

  it('gives every method an estimate', () => {
    const then = effectDocs([exposure({ passed: true, injected: [coinIn('a')] }), exposure({ passed: false, withheld: [coinOut('a')] })]);
    expect(Object.keys(estimateEffects(then['id:a']!, DEFAULT_EFFECT_RULES)).sort()).toEqual(['ipw', 'pooled-loo', 'randomized-holdout', 'stratified-loo']);
  });

  it('asOf recounts from the observations that had happened by then (the same as folding only those)', () => {
    const events = [
      exposure({ passed: true, injected: [coinIn('a')] }),
      exposure({ passed: false, withheld: [coinOut('a')] }),
      exposure({ passed: true, injected: [coinIn('a')] }),
    ];
    const all = effectDocs(events)['id:a']!;
    // Spec events are one second apart from 2026-01-01T00:00:00Z.
    const asOf = effectDocAsOf(all, new Date('2026-01-01T00:00:01Z'), DEFAULT_EFFECT_RULES);
    const prefix = effectDocs(events.slice(0, 2))['id:a']!;
    expect(asOf.strata).toEqual(prefix.strata);
    expect(asOf.ipw).toEqual(prefix.ipw);
    expect(Object.keys(asOf.evidence).sort()).toEqual(Object.keys(prefix.evidence).sort());
  });

  it('keeps evidence out of the documents, as strings in rows per range of positions; a v1 exposure keeps a small document per outcome', () => {
    const outcomeId = '30000000-0000-4000-8000-000000000001';
    const then = given(lessonEffects, [
      exposure({ outcomeId, passed: true, injected: [coinIn('a', { revision: 3 })], withheld: [{ lessonId: 'b', withheldBy: 'cap' }] }),
      exposure({ outcomeId, passed: true, withheld: [{ lessonId: 'a', withheldBy: 'unknown' }] }),
      exposure({ passed: false, infra: true, injected: [coinIn('c')] }),
    ]);
    expect(then.document('id:a')).toEqual({
      lessonRef: 'id:a',
      revision: null,
      strata: { [`m1|code${BAND}`]: { coinInjected: { n: 1, passes: 1 }, coinWithheld: { n: 0, passes: 0 }, injected: { n: 1, passes: 1 }, notInjected: { n: 0, passes: 0 } } },
      ipw: expect.objectContaining({ n: 1, injected: 1, clipped: 0 }),
      infraErrorsExcluded: 0,
      outcomes: 1,
    });
    expect(then.document(`outcome:${outcomeId}`)).toEqual({ counted: ['id:a', 'id:a@r3', 'id:b'] });
    // An outcome counted for no lesson (an infra error) leaves no outcome document.
    expect(Object.keys(then.documents).filter((k) => k.startsWith('outcome:'))).toEqual([`outcome:${outcomeId}`]);
    // `<outcome event id> <global position> <arm> <propensity or -> <passed> <occurredAt> <stratum>`, per chunk of positions.
    const at = '2026-01-01T00:00:00.000Z';
    const position = observationLines(then.rows(LESSON_EVIDENCE_TABLE)[0]!.observations as string)[0]!.split(' ')[1];
    expect(position).toMatch(/^10\d\d$/);
    expect(then.rows(LESSON_EVIDENCE_TABLE).map((r) => [r.doc_key, r.chunk, r.observations])).toEqual([
      ['id:a', 0n, `${outcomeId} ${position} I 0.45 1 ${at} m1|code${BAND}`],
      ['id:a@r3', 0n, `${outcomeId} ${position} I 0.45 1 ${at} m1|code${BAND}`],
      ['id:b', 0n, `${outcomeId} ${position} w - 1 ${at} m1|code`],
    ]);
    expect(parseStoredObservation(`${outcomeId} 12 W 0.30000000000000004 0 ${at} model with spaces|a b`)).toEqual([
      outcomeId,
      ['12', 'W', 0.30000000000000004, 'model with spaces|a b', 0, at],
    ]);
    // A stratum with a line break or a backslash stays on its line and comes back as it was.
    const odd = storedObservation(outcomeId, ['7', 'I', 0.5, 'model\nwith a break \\n|c\\', 1, at]);
    expect(odd).not.toContain('\n');
    expect(parseStoredObservation(odd)).toEqual([outcomeId, ['7', 'I', 0.5, 'model\nwith a break \\n|c\\', 1, at]]);
  });
});
