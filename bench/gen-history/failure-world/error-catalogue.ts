/**
 * The error lines the failure world plants. A planted pattern's line varies only where a real one would (paths,
 * numbers, hex), so its normalised signature is stable; one-off errors vary in their words; generic errors
 * occur on every test at one background rate; infra and flaky errors look like what they are.
 */
import type { Random } from '../random.js';

export type ErrorKind = 'exception' | 'patch' | 'timeout';

export interface PlantedError {
  kind: ErrorKind;
  /** `{hex}`, `{n}` and `{path}` are filled per outcome. */
  line: string;
  /** A keyword a planted lesson covering this pattern would carry. */
  lessonKeyword: string;
  /** What the lesson is about, for its title. */
  topic: string;
}

export const PATTERN_ERRORS: readonly PlantedError[] = [
  { kind: 'exception', line: "KeyError: 'user_id'", lessonKeyword: "KeyError: 'user_id'", topic: 'missing user_id key' },
  { kind: 'exception', line: "ModuleNotFoundError: No module named 'yaml'", lessonKeyword: "No module named 'yaml'", topic: 'PyYAML not installed' },
  { kind: 'exception', line: "FileNotFoundError: [Errno 2] No such file or directory: '{path}/config.toml'", lessonKeyword: 'config.toml', topic: 'config file path' },
  { kind: 'exception', line: 'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line {n} column {n} (char {n})', lessonKeyword: 'Expecting property name enclosed in double quotes', topic: 'invalid JSON written' },
  { kind: 'exception', line: 'TypeError: can only concatenate str (not "int") to str', lessonKeyword: 'can only concatenate str', topic: 'string and int concatenation' },
  { kind: 'exception', line: "AttributeError: 'NoneType' object has no attribute 'group'", lessonKeyword: "has no attribute 'group'", topic: 'regex match not checked' },
  { kind: 'exception', line: "UnicodeDecodeError: 'utf-8' codec can't decode byte 0x{hex} in position {n}: invalid start byte", lessonKeyword: "codec can't decode byte", topic: 'binary file read as text' },
  { kind: 'exception', line: 'RecursionError: maximum recursion depth exceeded while calling a Python object', lessonKeyword: 'maximum recursion depth exceeded', topic: 'unbounded recursion' },
  { kind: 'exception', line: "ValueError: invalid literal for int() with base 10: 'N/A'", lessonKeyword: "invalid literal for int() with base 10: 'N/A'", topic: 'N/A values parsed as int' },
  { kind: 'exception', line: 'sqlite3.OperationalError: no such table: users', lessonKeyword: 'no such table: users', topic: 'database schema not created' },
  { kind: 'exception', line: "PermissionError: [Errno 13] Permission denied: '{path}/out.log'", lessonKeyword: 'Permission denied', topic: 'writing outside the workspace' },
  { kind: 'exception', line: "ImportError: cannot import name 'soft_unicode' from 'markupsafe' ({path}/__init__.py)", lessonKeyword: "cannot import name 'soft_unicode'", topic: 'markupsafe version pin' },
  { kind: 'exception', line: 'ZeroDivisionError: division by zero', lessonKeyword: 'ZeroDivisionError', topic: 'empty input averaged' },
  { kind: 'exception', line: "TypeError: Object of type datetime is not JSON serializable", lessonKeyword: 'datetime is not JSON serializable', topic: 'datetimes in JSON output' },
  { kind: 'exception', line: "NameError: name 'np' is not defined", lessonKeyword: "name 'np' is not defined", topic: 'numpy import missing' },
  { kind: 'exception', line: 'OverflowError: (34, \'Numerical result out of range\')', lessonKeyword: 'Numerical result out of range', topic: 'float overflow in power' },
  { kind: 'exception', line: 'error[E0308]: mismatched types', lessonKeyword: 'mismatched types', topic: 'Rust type mismatch' },
  { kind: 'exception', line: "error[E0425]: cannot find value `args` in this scope", lessonKeyword: 'cannot find value `args`', topic: 'Rust args not collected' },
  { kind: 'exception', line: 'csv.Error: new-line character seen in unquoted field', lessonKeyword: 'new-line character seen in unquoted field', topic: 'CSV opened without newline=""' },
  { kind: 'exception', line: 'RuntimeError: dictionary changed size during iteration', lessonKeyword: 'dictionary changed size during iteration', topic: 'dict mutated while iterating' },
  { kind: 'exception', line: "subprocess.CalledProcessError: Command '['git', 'commit', '-m', 'init']' returned non-zero exit status {n}.", lessonKeyword: "Command '['git', 'commit'", topic: 'git identity not configured' },
  { kind: 'patch', line: 'Error during execution: Patch failed: no match found for the original text in {path}/main.py', lessonKeyword: 'no match found for the original text', topic: 'patching stale file contents' },
  { kind: 'timeout', line: "subprocess.TimeoutExpired: Command 'npm install' timed out after {n} seconds", lessonKeyword: "Command 'npm install' timed out", topic: 'npm install in the eval sandbox' },
  { kind: 'exception', line: 'OSError: [Errno 98] Address already in use', lessonKeyword: 'Address already in use', topic: 'server port left open' },
  { kind: 'exception', line: "LookupError: unknown encoding: utf8mb4", lessonKeyword: 'unknown encoding: utf8mb4', topic: 'MySQL encoding name in Python' },
  { kind: 'exception', line: "TypeError: '<' not supported between instances of 'NoneType' and 'int'", lessonKeyword: "not supported between instances of 'NoneType'", topic: 'sorting with missing values' },
];

/** Failures every test has at one background rate: never a pattern. */
export const GENERIC_ERRORS: readonly string[] = ['AssertionError', 'SyntaxError: invalid syntax', "NameError: name 'result' is not defined", 'AssertionError: assert False'];

/** A provider or network failure: infra, never a pattern even where it recurs. */
export const INFRA_ERRORS: readonly string[] = [
  'litellm.RateLimitError: RateLimitError: 429 Too Many Requests',
  'openai.APIConnectionError: Connection error.',
];
/** The infra outage planted on one family (recurring and enriched, still infra). */
export const INFRA_OUTAGE_ERROR = "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.github.com', port=443): Max retries exceeded";

/** What a flaky test fails with, on every model, half the time. */
export const FLAKY_ERROR = 'TimeoutError: server on port {n} did not become ready';

const SYLLABLES = ['ka', 'lo', 'mi', 'zu', 're', 'tan', 'vo', 'shi', 'pex', 'dru', 'gom', 'wil'];

/** An error no other outcome has: its words are drawn, not its numbers. */
export function oneOffError(random: Random): string {
  const word = () => Array.from({ length: 3 }, () => random.pick(SYLLABLES)).join('');
  return `ValueError: unexpected token '${word()}' while parsing ${word()} section`;
}

export function fillLine(line: string, random: Random): string {
  return line
    .replace(/\{path\}/g, () => `/tmp/eval/${random.hex(10)}/work`)
    .replace(/\{hex\}/g, () => random.hex(2))
    .replace(/\{n\}/g, () => String(random.int(1, 900)));
}
