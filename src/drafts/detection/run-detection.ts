/**
 * One detection as `drafts detect` asks for it, in this process or on a server (`POST /drafts/detect`): the
 * rule set's rules, the configured drafter, and on a dry run the drafts these rules would propose set beside
 * the current ones.
 */
import type { EventStore } from '../../event-store/event-store.port.js';
import { openLogRoot } from '../../gptme-logs/index.js';
import { configuredDrafter, type DrafterConfig } from '../drafter/configured-drafter.js';
import { allDrafts } from '../review/list-drafts.js';
import { sideBySide } from '../review/render-drafts.js';
import { detectDrafts, type DetectDraftsResult } from './detect-drafts.js';
import { draftRulesOf } from './draft-rule-set.js';

/** The log root named for this detection cannot be read: refused before anything is written. */
export class DetectionLogRootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DetectionLogRootError';
  }
}

export interface DetectionRequest {
  /** The log root to read; undefined reads none (signatures already recorded are still used). */
  logRoot: string | undefined;
  ruleSet: string;
  dryRun: boolean;
}

export type DetectionAnswer = DetectDraftsResult & { sideBySide?: ReturnType<typeof sideBySide> };

export async function runDraftDetection(store: EventStore, config: DrafterConfig, request: DetectionRequest): Promise<DetectionAnswer> {
  if (request.logRoot !== undefined && !(await openLogRoot(request.logRoot)).ok) {
    throw new DetectionLogRootError(`the log root ${request.logRoot} is not a readable directory; nothing was written`);
  }
  const { rules, ruleSet } = await draftRulesOf(store, request.ruleSet);
  const drafter = configuredDrafter(config);
  const detected = await detectDrafts(store, { logRoot: request.logRoot, rules, ruleSet, drafter, dryRun: request.dryRun });
  if (!request.dryRun) return detected;
  return { ...detected, sideBySide: sideBySide(detected.drafts, [...(await allDrafts(store)).values()]) };
}
