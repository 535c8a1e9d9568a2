/** The audit as text for the terminal (`lessonloop audit lesson <id>`). */
import type { LessonEditRef } from './audit-lesson.js';
import type { LessonAuditResult } from './lesson-audit.service.js';
import { renderDraftOrigin } from '../../drafts/review/draft-origin.js';

const num = (value: number | undefined) => (value === undefined ? '-' : Number.isInteger(value) ? String(value) : value.toFixed(4));

const editList = (edits: LessonEditRef[]) => edits.map((e) => `${e.type}@${e.globalPosition}${e.actor ? ` by ${e.actor}` : ''}`).join(', ') || 'none';

export function renderAudit(audit: LessonAuditResult): string {
  const lines: string[] = [`lesson ${audit.lessonId}: ${audit.statusChanges.length} status change(s)`];
  for (const change of audit.statusChanges) {
    const d = change.decision;
    lines.push('', `${d.occurredAt}  ${d.from} -> ${d.to}  (event ${d.eventId}, global position ${d.globalPosition})`);
    if (d.decidedBy === 'human') {
      lines.push(`  decided by a human: ${d.actor ?? 'unknown actor'} (${d.source}); reason: ${d.reason}`);
    } else {
      const rule = change.rule!;
      lines.push(`  decided by the policy: rule ${rule.name ?? '?'} of rule set ${rule.ruleSetId} v${rule.ruleSetVersion}` +
        (rule.definedBy ? ` (defined by event ${rule.definedBy.eventId})` : ' (built-in defaults)'));
      lines.push(`  reason: ${d.reason}`);
      const p = rule.parameters;
      lines.push(`  parameters: archive below mean ${p.archiveBelowMean} with >= ${p.archiveMinRewards} rewards; promote above lower bound ${p.promoteAboveLower} with >= ${p.promoteMinRewards}; gamma ${p.gamma}; prior Beta(${p.priorAlpha}, ${p.priorBeta})`);
    }
    if (change.evidence) {
      const n = change.evidence.numbers;
      if (change.evidence.estimator) {
        lines.push(`  decided on effect: estimator ${change.evidence.estimator}, effect ${num(n.effect)} interval [${num(n.lower)}, ${num(n.upper)}] (level ${num(n.policyEffectLevel)}) n ${num(n.n)} (${num(n.treated)} injected, ${num(n.control)} not)`);
      } else {
        lines.push(`  evidence numbers: alpha ${num(n.alpha)} beta ${num(n.beta)} mean ${num(n.mean)} interval [${num(n.lower)}, ${num(n.upper)}] n ${num(n.n)}`);
      }
      const missing = change.evidence.events.filter((e) => !e.found).length;
      lines.push(`  evidence events: ${change.evidence.events.length}${missing ? ` (${missing} NOT FOUND in the log)` : ' (all found in the log)'}`);
      for (const e of change.evidence.events) lines.push(`    ${e.globalPosition.padStart(8)}  ${e.type.padEnd(22)} ${e.eventId}`);
    }
    lines.push(`  posterior trajectory (${change.trajectory.length} reward(s) before the decision):`);
    for (const p of change.trajectory) {
      lines.push(`    ${p.globalPosition.padStart(8)}  session ${p.sessionId}  reward ${num(p.reward)}  theta ${p.theta === null ? '-' : num(p.theta)}  -> alpha ${num(p.alpha)} beta ${num(p.beta)} mean ${num(p.mean)} n ${p.n}${p.evalOutcomeIds.length ? `  evals ${p.evalOutcomeIds.join(',')}` : ''}`);
    }
    if (change.evalOutcomes.length > 0) {
      lines.push(`  eval outcomes that defined those rewards (${change.evalOutcomes.length}):`);
      for (const o of change.evalOutcomes) {
        lines.push(`    ${o.globalPosition.padStart(8)}  ${o.passed ? 'passed' : 'failed'}${o.suspectedInfraError ? ' (suspected infra error, not counted)' : ''}  run ${o.runId} test ${o.test} model ${o.model}  ${o.eventId}`);
      }
    }
    lines.push(`  lesson edits before it: ${editList(change.editsBefore)}`);
  }
  for (const f of audit.mutationFlags) {
    const d = f.decision;
    lines.push('', `${d.occurredAt}  flagged for mutation (${d.reason})  (event ${d.eventId}, global position ${d.globalPosition})`);
    lines.push(`  decided by the policy: rule ${f.rule.name ?? '?'} of rule set ${f.rule.ruleSetId} v${f.rule.ruleSetVersion}` +
      (f.rule.definedBy ? ` (defined by event ${f.rule.definedBy.eventId})` : ' (built-in defaults)'));
    lines.push(`  ${d.explanation}`);
    const p = f.rule.parameters;
    lines.push(`  parameters: mean in [${p.flagMeanLow}, ${p.flagMeanHigh}] with >= ${p.flagMinRewards} rewards and interval width <= ${p.flagMaxIntervalWidth}`);
    const missing = f.evidence.events.filter((e) => !e.found).length;
    lines.push(`  evidence events: ${f.evidence.events.length}${missing ? ` (${missing} NOT FOUND in the log)` : ' (all found in the log)'}; posterior trajectory: ${f.trajectory.length} reward(s); eval outcomes: ${f.evalOutcomes.length}`);
    lines.push(`  lesson edits before it: ${editList(f.editsBefore)}`);
  }
  for (const m of audit.policyMatchChanges) {
    lines.push('', `${m.occurredAt}  policy keyword change (rule ${m.rule ?? '?'}): added ${m.added.join(', ')} (event ${m.eventId})`);
  }
  if (audit.counterfactual) {
    const c = audit.counterfactual;
    lines.push('', `counterfactual under rule set ${c.ruleSetId} v${c.ruleSetVersion}: ` +
      (c.wouldArchive ? `would have archived it on reward ${c.at!.triggeringEventId} (global position ${c.at!.globalPosition}, ${c.at!.occurredAt})` : 'would not have archived it'));
    lines.push(`  flag for mutation: ${c.wouldFlagForMutation ? `would have flagged it (${c.wouldFlagForMutation.reason}) on reward ${c.wouldFlagForMutation.triggeringEventId} (global position ${c.wouldFlagForMutation.globalPosition})` : 'would not have flagged it'}`);
    lines.push(`  in fact: ${c.actuallyArchived ? `archived by ${c.actuallyArchived.decidedBy}${c.actuallyArchived.ruleSetId ? ` (rule set ${c.actuallyArchived.ruleSetId})` : ''} at global position ${c.actuallyArchived.globalPosition}` : 'never archived'}`);
  }
  if (audit.origin) lines.push(...renderDraftOrigin(audit.origin));
  return `${lines.join('\n')}\n`;
}
