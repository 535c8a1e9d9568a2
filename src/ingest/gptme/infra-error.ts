import type { Durations, TokenUsage } from '../../../contracts/eval.js';

/** Failures faster than this (total duration, seconds) are candidates for infra errors. */
export const INFRA_ERROR_MAX_DURATION_S = 5;

/**
 * The suspected-infra-error rule: an outcome that FAILED in under 5 seconds of total duration and used no
 * tokens (the token columns are absent, as in files before 2026-07, or Tokens Total is 0) most likely never
 * reached the model: a provider, quota or harness error rather than a real failure of the model. gptme's own
 * CI treats "every test failed, average under 5 s" the same way. Such outcomes are kept and flagged
 * (`suspectedInfraError: true`), never dropped, so a reader can choose to exclude them.
 */
export function isSuspectedInfraError(outcome: {
  passed: boolean;
  durations?: Pick<Durations, 'total'>;
  tokens?: Pick<TokenUsage, 'total'>;
}): boolean {
  if (outcome.passed || outcome.durations === undefined) return false;
  const noTokens = outcome.tokens === undefined || outcome.tokens.total === 0;
  return outcome.durations.total < INFRA_ERROR_MAX_DURATION_S && noTokens;
}
