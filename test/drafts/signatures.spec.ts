/** Failure signatures from gptme conversations, and the normalisation that makes them cluster. */
import { literalParts, normaliseErrorText, testFamily } from '../../projections/drafts/normalise.js';
import { primarySignature } from '../../projections/drafts/pattern-facts.js';
import { extractSignatures, isInfraSignature } from '../../projections/drafts/signatures.js';

const tool = (content: string) => ({ role: 'system', content });
const said = (content: string) => ({ role: 'assistant', content });

describe('normaliseErrorText', () => {
  it('strips paths, uuids, hex, opaque ids and numbers, and keeps the words', () => {
    expect(normaliseErrorText("FileNotFoundError: [Errno 2] No such file or directory: '/tmp/eval/ab12cd34ef/work/config.toml'")).toBe(
      "FileNotFoundError: [Errno <n>] No such file or directory: '<path>'",
    );
    expect(normaliseErrorText('KeyError: 3f2a9c1e-0b1d-4c5e-8f9a-1b2c3d4e5f60 at 0x7ffe12ab')).toBe('KeyError: <id> at <hex>');
    expect(normaliseErrorText("ValueError: invalid literal for int() with base 10: 'N/A'")).toBe("ValueError: invalid literal for int() with base <n>: 'N/A'");
    expect(normaliseErrorText('run_20260101 failed after 12.5 s in src/app/main.py')).toBe('<id> failed after <n> s in <path>');
  });

  it('keeps the literal stretches between placeholders for keywords', () => {
    expect(literalParts("PermissionError: [Errno <n>] Permission denied: '<path>'")).toEqual(['PermissionError: [Errno', 'Permission denied']);
  });

  it('takes the test family without a trailing variant number', () => {
    expect(testFamily('json-parse-3')).toBe('json-parse');
    expect(testFamily('hello')).toBe('hello');
    expect(testFamily('prime100')).toBe('prime');
  });
});

describe('extractSignatures', () => {
  it('reads exceptions, failed commands, patches, timeouts and compiler errors from tool output only', () => {
    const { signatures, steps } = extractSignatures([
      { role: 'user', content: 'KeyError: this is the task text, not output' },
      said('```shell\npython main.py\n```'),
      tool('Ran command: `python main.py`\n\n```stderr\nTraceback (most recent call last):\n  File "/tmp/x/main.py", line 3\nKeyError: \'user_id\'\n```\n\nReturn code: 1'),
      tool('Error during execution: Patch failed: no match found for the original text in /tmp/a/b/main.py'),
      tool("subprocess.TimeoutExpired: Command 'npm install' timed out after 120 seconds"),
      tool('error[E0308]: mismatched types'),
    ]);
    expect(signatures.map((s) => [s.kind, s.key, s.message])).toEqual([
      ['exception', "KeyError: 'user_id'", 2],
      ['command', 'command: python exited <n>', 2],
      ['patch', 'patch: Patch failed: no match found for the original text in <path>', 3],
      ['timeout', "timeout: TimeoutExpired: Command 'npm install' timed out after <n> seconds", 4],
      ['exception', 'error[E0308]: mismatched types', 5],
    ]);
    expect(steps).toBe(1);
  });

  it('reports step and token blow-ups past the limits', () => {
    const messages = Array.from({ length: 6 }, () => said('x'.repeat(100)));
    const kinds = extractSignatures(messages, { maxSteps: 5, maxCharacters: 500 }).signatures.map((s) => s.key);
    expect(kinds).toEqual(['steps: more than <n> steps', 'tokens: more than <n> characters']);
  });

  it('clusters by the last exception when there is one', () => {
    const { signatures } = extractSignatures([tool('ValueError: first'), tool('Return code: 1'), tool('TypeError: last')]);
    expect(primarySignature(signatures)?.key).toBe('TypeError: last');
    expect(primarySignature([])).toBeNull();
  });

  it('recognises provider and network failures as infra', () => {
    expect(isInfraSignature('litellm.RateLimitError: RateLimitError: 429 Too Many Requests')).toBe(true);
    expect(isInfraSignature("ConnectionError: HTTPSConnectionPool(host='x', port=443): Max retries exceeded")).toBe(true);
    expect(isInfraSignature("KeyError: 'user_id'")).toBe(false);
  });
});
