/** lessons.jsonl: every problem listed with its line; one problem rejects the file. */
import { parseManifest } from '../../src/exposure-files/manifest.js';

const line = (o: object) => JSON.stringify(o);

describe('the lessons.jsonl manifest', () => {
  it('parses lines as POST /exposures entries, with occurrence 0 by default', () => {
    const parsed = parseManifest(`${line({ model: 'm@tool', test: 'a', injected: [{ lessonId: 'l1', holdoutRate: 0.1, propensity: 0.45 }] })}\n\n`, 'f');
    expect(parsed).toEqual({ ok: true, lines: [{ line: 1, model: 'm@tool', test: 'a', occurrence: 0, injected: [{ lessonId: 'l1', holdoutRate: 0.1, propensity: 0.45 }], withheld: [] }] });
  });

  it('names every bad line: not JSON, a coin without its rate, both id and path, a repeated key, an unknown field', () => {
    const parsed = parseManifest(
      [
        '{"model":',
        line({ model: 'm', test: 'a', withheld: [{ lessonId: 'l', withheldBy: 'coin' }] }),
        line({ model: 'm', test: 'b', injected: [{ lessonId: 'l', path: 'p.md' }] }),
        line({ model: 'm', test: 'c' }),
        line({ model: 'm', test: 'c' }),
        line({ model: 'm', test: 'd', lessons: [] }),
      ].join('\n'),
      'f',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => `${i.line}: ${i.reason}`)).toEqual([
      expect.stringMatching(/^1: not JSON/),
      '2: withheld.0.holdoutRate: a coin-withheld lesson needs its holdoutRate (> 0)',
      '3: injected.0: give exactly one of lessonId and path',
      '5: the same model, format, test and occurrence as line 4',
      expect.stringMatching(/^6: line: Unrecognized key/),
    ]);
  });
});
