/** The injection gate, pure: outcome arms, significance after BH before any recommendation, gptme's file rules. */
import type { LessonExposureRecordedData } from '../../contracts/exposure.js';
import { lessonGates, pairGates } from '../../projections/injection-gate/gate-decisions.js';
import { gateObservation, type InjectionGateDoc } from '../../projections/injection-gate/gate-observations.js';
import { DEFAULT_INJECTION_GATE_RULES, resolveInjectionGateRules } from '../../projections/injection-gate/gate-rules.js';
import { gptmeGateFile } from '../../projections/injection-gate/gptme-gate-file.js';
import { entryProblems, gateRecommendation, loadGateFile } from './gptme-gate-format.js';

let position = 0;
const outcome = (model: string, test: string, passed: boolean) => ({
  eventId: `00000000-0000-4000-8000-${String(++position).padStart(12, '0')}`,
  globalPosition: String(position),
  runId: 'r',
  test,
  model,
  passed,
  suspectedInfraError: false,
});
type Arm = 'coin-on' | 'coin-off' | 'run-off' | 'log-on';
function exposure(model: string, test: string, arm: Arm, passed: boolean): LessonExposureRecordedData {
  const injected = arm === 'coin-on' ? [{ lessonId: 'l1', holdoutRate: 0.5 }] : arm === 'log-on' ? [{ path: 'a.md' }] : [];
  const withheld =
    arm === 'coin-off' ? [{ lessonId: 'l1', withheldBy: 'coin' as const, holdoutRate: 0.5 }] : arm === 'run-off' ? [{ lessonId: 'l1', withheldBy: 'run-holdout' as const }] : [];
  return { outcome: outcome(model, test, passed), injected, withheld: [...withheld, { lessonId: 'l9', withheldBy: 'cap' }] };
}
/** A pair doc from [arm, passes, fails] groups. */
function doc(model: string, test: string, groups: [Arm, number, number][]): InjectionGateDoc {
  const d: InjectionGateDoc = { model, test, infraErrorsExcluded: 0, outcomes: {} };
  for (const [arm, passes, fails] of groups) {
    for (let i = 0; i < passes + fails; i++) {
      const e = exposure(model, test, arm, i < passes);
      d.outcomes[e.outcome.eventId] = gateObservation(e, e.outcome.globalPosition);
    }
  }
  return d;
}

describe('the injection gate', () => {
  it('puts each outcome on the lessons-on or -off side by why, lessons withheld by the cap on neither', () => {
    expect(gateObservation(exposure('m', 't', 'coin-on', true), '1')).toEqual(['1', 'on-coin', 1, [['id:l1', 'I']]]);
    expect(gateObservation(exposure('m', 't', 'coin-off', false), '2')).toEqual(['2', 'off-coin', 0, [['id:l1', 'W']]]);
    expect(gateObservation(exposure('m', 't', 'run-off', true), '3')[1]).toBe('off-run-holdout');
    expect(gateObservation(exposure('m', 't', 'log-on', true), '4')).toEqual(['4', 'on', 1, [['path:a.md', 'i']]]);
    expect(gateObservation({ ...exposure('m', 't', 'coin-on', true), injected: [] }, '5')[1]).toBeNull();
  });

  it('recommends only what survives BH over the pairs: a raw difference of a few runs stays default', () => {
    const docs = [
      doc('m1', 'strong-help', [['coin-on', 19, 1], ['coin-off', 4, 16]]),
      doc('m1', 'strong-hurt', [['coin-on', 3, 17], ['coin-off', 18, 2]]),
      doc('m1', 'few-runs', [['coin-on', 3, 0], ['coin-off', 0, 3]]),
      doc('m1', 'null', [['coin-on', 10, 10], ['coin-off', 10, 10]]),
      doc('m2', 'strong-help', [['log-on', 19, 1], ['run-off', 4, 16]]),
    ];
    const gates = pairGates(docs, DEFAULT_INJECTION_GATE_RULES);
    const by = (model: string, test: string) => gates.find((g) => g.model === model && g.test === test)!;
    expect(by('m1', 'strong-help')).toMatchObject({ recommendation: 'inject', delta: 0.75, withLessons: { n: 20, passes: 19 }, withoutLessons: { n: 20, sources: { coin: 20, 'run-holdout': 0 } } });
    expect(by('m1', 'strong-hurt').recommendation).toBe('suppress');
    expect(by('m1', 'few-runs')).toMatchObject({ delta: 1, p: null, q: null, recommendation: 'default' });
    expect(by('m1', 'null')).toMatchObject({ delta: 0, recommendation: 'default' });
    expect(by('m2', 'strong-help')).toMatchObject({ recommendation: 'inject', withoutLessons: { sources: { coin: 0, 'run-holdout': 20 } } });
    // q >= p, and BH over 4 tested pairs
    for (const g of gates.filter((x) => x.p !== null)) expect(g.q!).toBeGreaterThanOrEqual(g.p!);

    const coinOnly = pairGates(docs, resolveInjectionGateRules({ 'injection-gate': { gateHoldoutSources: 'coin' } }));
    expect(coinOnly.find((g) => g.model === 'm2')).toMatchObject({ withLessons: { n: 0 }, withoutLessons: { n: 0 }, recommendation: 'default' });
    const strict = pairGates(docs, resolveInjectionGateRules({ gateFdrLevel: 1e-9 }));
    expect(strict.every((g) => g.recommendation === 'default')).toBe(true);
  });

  it('answers per lesson within a pair, with the evidence', () => {
    const d = doc('m1', 't', [['coin-on', 9, 1], ['coin-off', 1, 9]]);
    const [l1] = lessonGates(d, DEFAULT_INJECTION_GATE_RULES);
    expect(l1).toMatchObject({ lessonRef: 'id:l1', recommendation: 'inject', withLessons: { n: 10, passes: 9 } });
    expect(l1!.evidence.withLessons).toHaveLength(10);
    expect(l1!.evidence.withoutLessons.every(([, , source]) => source === 'coin')).toBe(true);
  });

  it("writes a file gptme's pass_rate_gate.py loads, with the recommendations it will act on", () => {
    const docs = [doc('openai/gpt-4o@tool', 'hello', [['coin-on', 19, 1], ['coin-off', 4, 16]]), doc('openai/gpt-4o@tool', 'only-on', [['coin-on', 5, 0]])];
    const file = gptmeGateFile(pairGates(docs, DEFAULT_INJECTION_GATE_RULES));
    const loaded = loadGateFile(JSON.stringify(file));
    expect(entryProblems(loaded)).toEqual([]);
    expect(gateRecommendation('openai/gpt-4o@tool', 'hello', loaded)).toBe('inject');
    expect(gateRecommendation('openrouter/openai/gpt-4o@tool', 'hello', loaded)).toBe('inject');
    expect(gateRecommendation('openai/gpt-4o@tool', 'only-on', loaded)).toBe('default');
    expect(file.lookup['openai/gpt-4o@tool']!.hello).toMatchObject({ baseline: 0.95, baseline_n: 20, holdout: 0.2, holdout_n: 20, delta: 0.75, effect: 'lessons_help' });
    expect(Object.keys(gptmeGateFile(pairGates(docs, DEFAULT_INJECTION_GATE_RULES), 'name').lookup)).toEqual(['openai/gpt-4o']);
    expect(() => loadGateFile('{"summary": {}}')).toThrow(/missing top-level 'lookup'/);
  });
});
