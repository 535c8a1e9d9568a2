/** The limit building blocks, the strict JSON reader and CSV cell neutralisation, over generated input. */
import fc from 'fast-check';
import { clampText, characterProblem, identifierString, LIMITS, stringProblems, textString, utf8Bytes } from '../../contracts/limits.js';
import { TestOutcomeRecorded } from '../../contracts/eval.js';
import { parseStrictJson } from '../../src/bootstrap/strict-json.js';
import { csvCell } from '../../src/eval-read-models/render.js';
import { SEED } from './support/violations.js';

const runs = { seed: SEED, numRuns: 500 };
/** Any UTF-16 code unit, lone surrogates included. */
const char16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

describe('limits', () => {
  it('utf8Bytes counts what Buffer encodes for well-formed text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => utf8Bytes(s) === Buffer.byteLength(s)), runs);
  });

  it('a string is refused exactly when it is over its bytes or holds NUL, a lone surrogate or (identifiers) a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: char16, maxLength: 40 }), fc.integer({ min: 1, max: 60 }), fc.boolean(), (s, max, idLike) => {
        const refused = stringProblems(s, { maxBytes: max, identifierLike: idLike }).length > 0;
        const expected = utf8Bytes(s) > max || s.includes('\u0000') || /\p{Cs}/u.test(s) || (idLike && /\p{Cc}/u.test(s));
        expect(refused).toBe(expected);
        const schema = idLike ? identifierString(max) : textString(max);
        expect(schema.safeParse(s).success).toBe(!expected && s !== '');
      }),
      runs,
    );
  });

  it('clampText makes any text fit its policy, keeping what fits', () => {
    fc.assert(
      fc.property(fc.string({ unit: char16, maxLength: 80 }), fc.integer({ min: 0, max: 40 }), fc.boolean(), (s, max, idLike) => {
        const clamped = clampText(s, max, idLike);
        expect(stringProblems(clamped, { maxBytes: max, identifierLike: idLike })).toEqual([]);
        if (stringProblems(s, { maxBytes: max, identifierLike: idLike }).length === 0) expect(clamped).toBe(s);
      }),
      runs,
    );
  });

  it('the outcome key is bounded as a whole, on write only', () => {
    const outcome = { runId: 'r', test: 't'.repeat(LIMITS.test), model: 'm'.repeat(LIMITS.name), rawModel: `${'m'.repeat(LIMITS.name - 5)}@tool`, toolFormat: 'tool', passed: true, suspectedInfraError: false, occurrence: 0 };
    const parsed = TestOutcomeRecorded.schema.safeParse(outcome);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['test', expect.stringContaining(`at most ${LIMITS.outcomeKey} bytes`)]]);
    expect(characterProblem('ok', true)).toBeNull();
  });
});

describe('strict JSON bodies', () => {
  it('accepts any JSON text JSON.parse reads with distinct keys and storable strings, as the same value', () => {
    const storable = fc.jsonValue().filter((v) => !/\\u0000|\\ud[89a-f]/i.test(JSON.stringify(v)));
    fc.assert(
      fc.property(storable, (value) => {
        const parsed = parseStrictJson(Buffer.from(JSON.stringify(value)));
        expect(parsed).toEqual({ ok: true, value: JSON.parse(JSON.stringify(value)) });
      }),
      runs,
    );
  });

  it('refuses a key given twice in one object, naming it and where', () => {
    const keyed = fc.tuple(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 }), fc.string({ minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(keyed, ([key, a, b, outer]) => {
        const text = `{${JSON.stringify(outer)}: [1, {${JSON.stringify(key)}: ${JSON.stringify(a)}, ${JSON.stringify(key)}: ${JSON.stringify(b)}}]}`;
        const parsed = parseStrictJson(Buffer.from(text));
        expect(parsed).toEqual({ ok: false, problem: { field: `${outer}.1.${key}`, reason: `appears twice in the object ${outer}.1` } });
      }),
      runs,
    );
  });

  it('refuses invalid UTF-8, NUL and lone surrogates, naming the field', () => {
    expect(parseStrictJson(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toEqual({ ok: false, problem: { field: null, reason: 'the body is not valid UTF-8' } });
    expect(parseStrictJson(Buffer.from('{"a":{"b":["x\\u0000"]}}'))).toMatchObject({ ok: false, problem: { field: 'a.b.0', reason: expect.stringContaining('NUL') } });
    expect(parseStrictJson(Buffer.from('{"a\\ud800":1}'))).toMatchObject({ ok: false, problem: { field: 'a\ud800', reason: expect.stringContaining('lone surrogate') } });
    expect(parseStrictJson(Buffer.from('  '))).toEqual({ ok: true, value: {} });
  });
});

describe('CSV cells', () => {
  it('a text cell a spreadsheet would run as a formula starts with an apostrophe; numbers stay numbers', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ minLength: 1, maxLength: 20 }), (start, rest) => {
        const text = `${start}${rest}`;
        const cell = csvCell(text);
        if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?%?$/i.test(text)) expect(cell).toBe(text);
        else expect(cell.replace(/^"/, '').startsWith(`'${start}`)).toBe(true);
      }),
      runs,
    );
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => expect(csvCell(n)).toBe(String(n))), runs);
    expect([csvCell("=cmd|' /C calc'!A0"), csvCell('@SUM(1+1)'), csvCell('-0.5'), csvCell('-'), csvCell('openai/gpt-4o')]).toEqual([
      "'=cmd|' /C calc'!A0",
      "'@SUM(1+1)",
      '-0.5',
      '-',
      'openai/gpt-4o',
    ]);
  });
});
