/** The drafts as text for the terminal (`lessonloop drafts list|show|detect`). */
import type { DetectDraftsResult } from '../detection/detect-drafts.js';
import type { DraftView } from './list-drafts.js';

const review = (v: DraftView) =>
  v.review === null ? '' : v.review.lessonId ? ` -> lesson ${v.review.lessonId} (${v.review.actor})` : ` (${v.review.actor}: ${v.review.reason})`;

export function renderDraftLine(v: DraftView): string {
  const s = v.statistics;
  return `${v.draftId}  ${v.status.padEnd(8)}  ${v.pattern.testFamily}  ${s.failures} failures / ${s.runs} runs / ${s.models} models  "${v.title}"${review(v)}`;
}

export function renderDraft(v: DraftView): string {
  return [
    `draft ${v.draftId}: ${v.status}${review(v)}`,
    `pattern: ${v.pattern.key}`,
    `tests: ${v.pattern.tests.join(', ')}; models: ${v.pattern.models.join(', ')}; ${v.pattern.firstSeen} to ${v.pattern.lastSeen}`,
    `keywords: ${v.keywords.join(' | ')}; drafter ${v.drafter}; rule set ${v.ruleSet.id} v${v.ruleSet.version}; proposed ${v.proposedAt}`,
    `evidence: ${(v.evidence ?? []).length} outcomes`,
    ...(v.evidence ?? []).map((e) => `  ${e.occurredAt} run ${e.runId} ${e.model} ${e.test}: outcome ${e.outcomeEventId}@${e.outcomeGlobalPosition}`),
    '',
    `--- ${v.path}`,
    v.file ?? '',
  ].join('\n');
}

export function renderDetection(r: DetectDraftsResult, dryRun: boolean): string {
  const read = Object.entries(r.read).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const lines = [
    `${r.outcomes} outcomes, ${r.failing} real failures; logs read this time: ${read}`,
    ...(r.logRootProblem ? [`no log was read: ${r.logRootProblem}`] : []),
    ...r.readErrors.map((e) => `  log not used: ${e}`),
    `${r.summary.windows} windows, ${r.patterns} recurring patterns; excluded: ${r.summary.excluded.infra} infra, ${r.summary.excluded.flaky} flaky, ${r.summary.excluded.notEnriched} not enriched; ` +
      `${r.covered.length} covered by a lesson, ${r.withoutKeywords.length} without a discriminating keyword`,
    `${r.drafts.length} draft(s)${dryRun ? ' (dry run: nothing written)' : `, ${r.appended} new`}`,
    ...r.drafts.map((d) => `  ${d.draftId}  ${d.pattern.key}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A rule set's dry run beside the drafts already proposed: both, only under the rule set, only current. */
export function sideBySide(wouldPropose: readonly { draftId: string; pattern: { key: string } }[], current: readonly DraftView[]): { both: string[]; onlyRuleSet: string[]; onlyCurrent: string[] } {
  const now = new Set(current.map((v) => v.draftId));
  const then = new Set(wouldPropose.map((d) => d.draftId));
  return {
    both: wouldPropose.filter((d) => now.has(d.draftId)).map((d) => d.pattern.key),
    onlyRuleSet: wouldPropose.filter((d) => !now.has(d.draftId)).map((d) => d.pattern.key),
    onlyCurrent: current.filter((v) => !then.has(v.draftId)).map((v) => `${v.pattern.key} (${v.status})`),
  };
}

export function renderSideBySide(ruleSet: string, s: ReturnType<typeof sideBySide>): string {
  const block = (title: string, keys: string[]) => [`${title}: ${keys.length}`, ...keys.map((k) => `  ${k}`)];
  return `${[...block(`proposed now and under ${ruleSet}`, s.both), ...block(`only under ${ruleSet}`, s.onlyRuleSet), ...block('only now', s.onlyCurrent)].join('\n')}\n`;
}
