/**
 * Failure signatures of one gptme conversation (pure, over messages the shared log reader parsed):
 * - exceptions: the last line of a traceback, or any line `SomeError: message` / `SomeError` in tool output;
 * - failed patches: the patch tool's refusal;
 * - failed commands: a `Return code: n` (n != 0) after `Ran command`, as the command's first word and the code;
 * - timeouts: a command or process that timed out or was killed for time;
 * - step and token blow-ups: more assistant messages, or more conversation text, than the rules allow.
 * Each is kept as a normalised key (what clusters) with the line as written (what keywords are chosen from).
 * Infra errors (rate limits, provider or connection failures) are recognised so detection can leave them out.
 */
import type { FailureSignature, SignatureKind } from '../../contracts/drafts.js';
import { MAX_SIGNATURES_PER_OUTCOME, SIGNATURE_EXCERPT_BYTES } from '../../contracts/drafts.js';
import { clampText } from '../../contracts/limits.js';
import { normaliseErrorText } from './normalise.js';

export const SIGNATURE_EXTRACTOR_VERSION = 1;

export interface ConversationMessage {
  role: string;
  content: string;
}

export interface SignatureLimits {
  /** More assistant messages than this is a step blow-up. */
  maxSteps: number;
  /** More characters of conversation than this is a token blow-up (about 4 characters a token). */
  maxCharacters: number;
}

export const DEFAULT_SIGNATURE_LIMITS: SignatureLimits = { maxSteps: 40, maxCharacters: 400_000 };

export interface ExtractedSignatures {
  signatures: FailureSignature[];
  steps: number;
}

const EXCEPTION_LINE = /^\s*(?:[A-Za-z_][\w]*\.)*((?:[A-Z][A-Za-z0-9_]*)?(?:Error|Exception|Exit|Interrupt|Failure|Warning))\b(?::\s*(.*))?$/;
/** A compiler's error line (`error[E0308]: mismatched types`, `error: could not compile`). */
const COMPILER_ERROR = /^\s*(error(?:\[E\d+\])?: .+)$/;
const PATCH_FAILED = /\b(?:patch (?:failed|did not apply|could not be applied)|no match(?:es)? found for (?:the )?patch|patch does not apply|hunk #?\d* ?failed)\b.*$/i;
const RAN_COMMAND = /Ran (?:allowlisted )?command:\s*`([^`\n]*)`/;
const RETURN_CODE = /Return code:\s*(-?\d+)/;
const TIMEOUT = /\b(?:timed out|timeout expired|TimeoutExpired|killed after \d+\s*s(?:econds)?|exceeded the time limit)\b.*$/i;
const INFRA = /\b(?:rate ?limit|RateLimitError|quota|APIConnectionError|APITimeoutError|ServiceUnavailable|Service Unavailable|overloaded|InternalServerError|Bad Gateway|Connection (?:reset|refused|error)|\b50[234]\b|\b429\b|insufficient_quota|credit balance|Max retries exceeded|HTTPSConnectionPool|Temporary failure in name resolution|Name or service not known)/i;

/** Whether a signature looks like a provider, quota or network failure rather than the model's own. */
export function isInfraSignature(text: string): boolean {
  return INFRA.test(text);
}

/** One line, within the contract's excerpt limit; control characters dropped. */
function cut(text: string): string {
  return clampText(text.trim(), SIGNATURE_EXCERPT_BYTES, true).trim();
}

export function extractSignatures(
  messages: readonly ConversationMessage[],
  limits: SignatureLimits = DEFAULT_SIGNATURE_LIMITS,
): ExtractedSignatures {
  const found: FailureSignature[] = [];
  const seen = new Set<string>();
  const add = (kind: SignatureKind, keyText: string, excerpt: string, message: number) => {
    const key = cut(`${kind === 'exception' ? '' : `${kind}: `}${normaliseErrorText(keyText)}`);
    const line = cut(excerpt);
    if (key === '' || line === '' || seen.has(key) || found.length >= MAX_SIGNATURES_PER_OUTCOME) return;
    seen.add(key);
    found.push({ kind, key, excerpt: line, message });
  };
  let steps = 0;
  let characters = 0;
  messages.forEach((m, index) => {
    characters += m.content.length;
    if (m.role === 'assistant') {
      steps += 1;
      return;
    }
    if (m.role !== 'system') return;
    const lines = m.content.split('\n');
    for (const line of lines) {
      const exception = EXCEPTION_LINE.exec(line);
      if (exception) add('exception', `${exception[1]}${exception[2] ? `: ${exception[2]}` : ''}`, line, index);
      const compiler = exception ? null : COMPILER_ERROR.exec(line);
      if (compiler) add('exception', compiler[1]!, line, index);
      const patch = PATCH_FAILED.exec(line);
      if (patch) add('patch', patch[0], line, index);
      const timeout = TIMEOUT.exec(line);
      if (timeout && !exception && !compiler) add('timeout', timeout[0], line, index);
    }
    const ran = RAN_COMMAND.exec(m.content);
    const code = RETURN_CODE.exec(m.content);
    if (ran && code && code[1] !== '0') {
      const program = ran[1]!.trim().split(/\s+/)[0] ?? '';
      add('command', `${program.split('/').pop()} exited ${code[1]}`, `${ran[0]} ... ${code[0]}`, index);
    }
  });
  if (steps > limits.maxSteps) add('steps', `more than ${limits.maxSteps} steps`, `${steps} assistant messages`, messages.length - 1);
  if (characters > limits.maxCharacters) add('tokens', `more than ${limits.maxCharacters} characters`, `${characters} characters of conversation`, messages.length - 1);
  return { signatures: found, steps };
}
