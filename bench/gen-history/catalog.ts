import type { ToolFormat } from '../../contracts/eval.js';
import { forkRandom } from './random.js';

/** A simulated model configuration: one tool format, a skill that drifts, prices, an optional incident. */
export interface SimModel {
  name: string;
  toolFormat: ToolFormat;
  /** Roughly N(0, 1): higher passes more. */
  skill: number;
  /** Skill change per 365 days (models and the harness improve, some degrade). */
  trendPerYear: number;
  /** A period where the provider changed something: skill shifts by `delta` from `fromDay` to `toDay`. */
  incident?: { fromDay: number; toDay: number; delta: number };
  /** USD per million tokens; undefined when gptme does not know the price (empty `Cost USD`). */
  price?: { input: number; output: number };
  promptCaching: boolean;
  /** Multiplies generation time. */
  latency: number;
}

export interface SimTest {
  name: string;
  suite: string;
  /** Roughly N(0, 1): higher fails more. */
  difficulty: number;
  /** Flaky tests pass about half the time whatever the model. */
  flaky: boolean;
  checkers: number;
  /** Median generation time in seconds for an average model. */
  baseSeconds: number;
  /** Median input tokens per step. */
  inputTokensPerStep: number;
}

const MODEL_NAMES = [
  'anthropic/claude-haiku-4-5', 'anthropic/claude-sonnet-4-6', 'anthropic/claude-opus-4-1', 'anthropic/claude-3-5-haiku-20241022',
  'openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/gpt-4.1', 'openai/gpt-4.1-mini', 'openai/gpt-5', 'openai/gpt-5-mini', 'openai/o3-mini',
  'gemini/gemini-2.5-flash', 'gemini/gemini-2.5-pro', 'openrouter/meta-llama/llama-3.1-70b-instruct',
  'openrouter/meta-llama/llama-3.3-70b-instruct', 'openrouter/meta-llama/llama-4-maverick', 'openrouter/qwen/qwen3-coder',
  'openrouter/qwen/qwen-2.5-coder-32b-instruct', 'openrouter/deepseek/deepseek-chat-v3', 'openrouter/deepseek/deepseek-r1',
  'openrouter/mistralai/devstral-medium', 'openrouter/mistralai/mistral-large', 'openrouter/z-ai/glm-4.6', 'openrouter/z-ai/glm-5@z-ai',
  'openrouter/moonshotai/kimi-k2', 'xai/grok-4', 'xai/grok-code-fast-1', 'openrouter/google/gemma-3-27b-it',
  'openrouter/nousresearch/hermes-4-70b', 'openrouter/x-ai/grok-3-mini', 'openrouter/anthropic/claude-sonnet-4-6',
  'openrouter/openai/gpt-oss-120b', 'openrouter/openai/gpt-oss-20b', 'openrouter/minimax/minimax-m2', 'openrouter/amazon/nova-pro-v1',
  'openrouter/cohere/command-a', 'openrouter/microsoft/phi-4', 'openrouter/inception/mercury-coder', 'groq/llama-3.3-70b-versatile',
  'deepseek/deepseek-chat',
];

const VERBS = ['fix', 'parse', 'sort', 'validate', 'refactor', 'rename', 'extract', 'optimize', 'implement', 'debug', 'filter',
  'merge', 'generate', 'convert', 'count', 'schedule', 'summarize', 'deduplicate', 'paginate', 'serialize'];
const NOUNS = ['csv', 'log', 'json', 'class', 'function', 'imports', 'cli', 'dates', 'config', 'cache', 'query', 'overlaps',
  'words', 'markdown', 'tests', 'yaml', 'api-client', 'retry-loop', 'migrations', 'matrix'];

export function simulatedModels(count: number, seed: number): SimModel[] {
  return Array.from({ length: count }, (_, i) => {
    const random = forkRandom(seed, 'model', i);
    const base = MODEL_NAMES[i % MODEL_NAMES.length]!;
    const name = i < MODEL_NAMES.length ? base : `${base}-v${Math.floor(i / MODEL_NAMES.length) + 1}`;
    const provider = name.split('/')[0]!;
    const toolFormat = random.chance(0.6) ? 'tool' : random.chance(0.6) ? 'xml' : 'markdown';
    const incident = random.chance(0.2)
      ? (() => {
          const fromDay = random.int(0, 330);
          return { fromDay, toDay: fromDay + random.int(3, 45), delta: random.chance(0.8) ? -1.5 : 0.8 };
        })()
      : undefined;
    const priced = provider !== 'openrouter' || random.chance(0.5);
    const inputPrice = Math.round(random.next() * 1500) / 100 + 0.1;
    return {
      name,
      toolFormat,
      skill: random.normal(0.3, 1),
      trendPerYear: random.normal(0.2, 0.3),
      ...(incident ? { incident } : {}),
      ...(priced ? { price: { input: inputPrice, output: inputPrice * 4 } } : {}),
      promptCaching: provider === 'anthropic' || provider === 'openai',
      latency: Math.exp(random.normal(0, 0.35)),
    };
  });
}

/** `count` tests in practical suites of 3 (`practical1` ... `practical33` for 99). */
export function simulatedTests(count: number, seed: number): SimTest[] {
  const names = VERBS.flatMap((verb) => NOUNS.map((noun) => `${verb}-${noun}`));
  const order = forkRandom(seed, 'test-names');
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(order.next() * (i + 1));
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  return Array.from({ length: count }, (_, i) => {
    const random = forkRandom(seed, 'test', i);
    const name = i < names.length ? names[i]! : `${names[i % names.length]}-${Math.floor(i / names.length) + 1}`;
    return {
      name,
      suite: `practical${Math.floor(i / 3) + 1}`,
      difficulty: random.normal(0, 1),
      flaky: random.chance(0.08),
      checkers: random.int(1, 4),
      baseSeconds: Math.exp(random.normal(Math.log(25), 0.5)),
      inputTokensPerStep: Math.round(Math.exp(random.normal(Math.log(2500), 0.4))),
    };
  });
}
