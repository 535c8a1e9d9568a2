import type { SimModel, SimTest } from './catalog.js';
import type { Random } from './random.js';

/** Chance per row of a provider/quota error (fails in seconds, no tokens). */
const PROVIDER_ERROR_RATE = 0.004;

export interface DayConditions {
  day: number;
  /** The model's provider is down for this whole run: every row is a provider error. */
  outage: boolean;
}

export function skillOn(model: SimModel, day: number): number {
  const incident = model.incident && day >= model.incident.fromDay && day < model.incident.toDay ? model.incident.delta : 0;
  return model.skill + (model.trendPerYear * day) / 365 + incident;
}

export function passProbability(model: SimModel, test: SimTest, day: number): number {
  if (test.flaky) return 0.5;
  return 1 / (1 + Math.exp(-(1.6 * (skillOn(model, day) - test.difficulty) + 0.6)));
}

/**
 * One row of the current `eval_results.csv` header, from `Passed` to `Eval Time` (the model, format, test,
 * commit and directories are added by the caller).
 */
export function simulateOutcome(model: SimModel, test: SimTest, conditions: DayConditions, random: Random): string[] {
  if (conditions.outage || random.chance(PROVIDER_ERROR_RATE)) return providerError(test, random);
  const passed = random.chance(passProbability(model, test, conditions.day));
  const checkersPassed = passed ? test.checkers : random.int(0, test.checkers - 1);
  const steps = random.int(1, 3) + (passed ? 0 : random.int(0, 3));
  const toolCalls = Math.max(0, steps - 1 + random.int(0, 2));
  const input = Math.round(steps * test.inputTokensPerStep * Math.exp(random.normal(0, 0.25)));
  const output = Math.round(steps * 90 * Math.exp(random.normal(0, 0.5)));
  const cacheRead = model.promptCaching && steps > 1 ? Math.round(input * (0.3 + 0.5 * random.next())) : 0;
  const cacheCreation = model.promptCaching && random.chance(0.3) ? Math.round(input * 0.2 * random.next()) : 0;
  const hitRate = cacheRead > 0 ? cacheRead / (input + cacheRead) : 0;
  const cost = model.price
    ? (input * model.price.input + output * model.price.output + cacheRead * model.price.input * 0.1 + cacheCreation * model.price.input * 1.25) / 1e6
    : undefined;
  const generation = round2(test.baseSeconds * model.latency * Math.exp(random.normal(0, 0.3)));
  const run = round2(0.01 + random.next() * (passed ? 0.5 : 2));
  const evalTime = round2(random.next() * 0.05);
  return [
    String(passed),
    `${checkersPassed}/${test.checkers}`,
    String(toolCalls),
    String(steps),
    String(input),
    String(output),
    String(input + output),
    String(cacheRead),
    String(cacheCreation),
    pythonFloat(hitRate),
    cost === undefined ? '' : String(cost),
    pythonFloat(round2(generation + run + evalTime)),
    pythonFloat(generation),
    pythonFloat(run),
    pythonFloat(evalTime),
  ];
}

function providerError(test: SimTest, random: Random): string[] {
  const generation = round2(0.3 + random.next() * 4.2);
  return ['false', `0/${test.checkers}`, '0', '0', '0', '0', '0', '0', '0', '0.0', '', pythonFloat(generation), pythonFloat(generation), '0.0', '0.0'];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** gptme is Python: floats print as `0.0`, `1.64`. */
function pythonFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}
