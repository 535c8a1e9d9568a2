/** What pattern detection reads of the log: outcomes and the signatures recorded for failing ones. */
import type { FailureSignature, SignatureKind } from '../../contracts/drafts.js';

export interface OutcomeFact {
  eventId: string;
  globalPosition: string;
  runId: string;
  test: string;
  model: string;
  occurredAt: string;
  timeMs: number;
  passed: boolean;
  suspectedInfraError: boolean;
}

/** A failing outcome with its primary signature (the one it is clustered by). */
export interface FailureFact {
  outcome: OutcomeFact;
  family: string;
  signature: FailureSignature;
  signatureEventId: string;
  signatureGlobalPosition: string;
}

const PRIORITY: Record<SignatureKind, number> = { exception: 0, patch: 1, timeout: 2, command: 3, steps: 4, tokens: 5 };

/**
 * The signature an outcome is clustered by: the last exception the conversation shows (what it ended on), else
 * a failed patch, a timeout, a failed command, a step or token blow-up. One per outcome, so clusters never
 * share an outcome and a generic failed command never rides on a real pattern's failures.
 */
export function primarySignature(signatures: readonly FailureSignature[]): FailureSignature | null {
  let best: FailureSignature | null = null;
  for (const s of signatures) {
    if (best === null) best = s;
    else {
      const a = PRIORITY[s.kind];
      const b = PRIORITY[best.kind];
      if (a < b || (a === b && s.message >= best.message)) best = s;
    }
  }
  return best;
}

export const DAY_MS = 86_400_000;
export const dayOf = (timeMs: number) => Math.floor(timeMs / DAY_MS);
export const dayStartIso = (day: number) => new Date(day * DAY_MS).toISOString();
