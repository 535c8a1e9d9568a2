/**
 * A detected pattern as a `LessonDraftProposed`: the pattern, its statistics, the evidence (outcome and
 * signature events with positions) and the lesson file in gptme's format: frontmatter with `match.keywords`
 * and `status: draft`, then the drafter's title, rule and context, a detection section and the evidence
 * summary. Pure.
 */
import { stringify } from 'yaml';
import { draftIdOf, type LessonDraftProposedData } from '../../../contracts/drafts.js';
import { clampText, LIMITS } from '../../../contracts/limits.js';
import type { DetectedPattern } from '../../../projections/drafts/detect-patterns.js';
import type { DraftProse } from '../drafter/lesson-drafter.port.js';
import type { ChosenKeywords } from './choose-keywords.js';

export const DRAFTS_CATEGORY = 'drafts';
const EXAMPLES = 3;

const percent = (x: number) => `${(100 * x).toFixed(0)}%`;
const day = (iso: string) => iso.slice(0, 10);

function slug(text: string): string {
  const s = text.toLowerCase().replace(/<[a-z]+>/g, ' ').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s.slice(0, 60).replace(/-+$/, '') || 'pattern';
}

export function draftLessonPath(pattern: DetectedPattern): string {
  return `${DRAFTS_CATEGORY}/${slug(pattern.family)}/${slug(pattern.signature)}.md`;
}

function detection(pattern: DetectedPattern, keywords: ChosenKeywords): string {
  return [
    '## Detection',
    'Observable signals that this lesson applies:',
    ...keywords.keywords.map((k) => `- the conversation shows \`${k}\``),
    `- a ${pattern.family} test fails with \`${pattern.signature}\``,
  ].join('\n');
}

function evidence(pattern: DetectedPattern, keywords: ChosenKeywords): string {
  const s = pattern.statistics;
  const examples = pattern.evidence.slice(0, EXAMPLES).map((e) => `- run ${e.outcome.runId}, ${e.outcome.model}, ${e.outcome.test}: \`${e.signature.excerpt}\``);
  return [
    '## Evidence',
    `${pattern.failures} failing outcomes in ${pattern.runs} runs across ${pattern.models.length} models ` +
      `(${pattern.models.join(', ')}), ${day(pattern.firstSeen)} to ${day(pattern.lastSeen)}, on ${pattern.tests.join(', ')}.`,
    `First found on ${day(pattern.training.from)} to ${day(pattern.training.to)}: background rate elsewhere ` +
      `${s.backgroundRate.toPrecision(3)}, one-sided Fisher p = ${s.pValue.toPrecision(3)}, BH q = ${s.qValue.toPrecision(3)} ` +
      `(${s.familyOutcomes} outcomes of the family).`,
    `Keywords chosen on those days: they match ${percent(keywords.failingMatched)} of the pattern's failing lines and ` +
      `${percent(keywords.passingMatched)} of ${keywords.passingLogs} sampled passing logs.`,
    'Examples:',
    ...examples,
  ].join('\n');
}

export function lessonFile(title: string, body: string, keywords: readonly string[]): string {
  const frontmatter = stringify({ match: { keywords: [...keywords] }, status: 'draft' }).trimEnd();
  return `---\n${frontmatter}\n---\n${body}`;
}

export function draftProposal(
  pattern: DetectedPattern,
  keywords: ChosenKeywords,
  prose: DraftProse,
  drafter: string,
  ruleSet: { id: string; version: number },
): LessonDraftProposedData {
  const title = clampText(prose.title.replace(/\s+/g, ' ').trim(), LIMITS.title, true);
  const body = clampText(
    [`# ${title}`, '', '## Rule', prose.rule.trim(), '', '## Context', prose.context.trim(), '', detection(pattern, keywords), '', evidence(pattern, keywords), ''].join('\n'),
    LIMITS.body - 4096,
    false,
  );
  return {
    draftId: draftIdOf(pattern.key),
    pattern: {
      key: pattern.key,
      kind: pattern.kind,
      signature: pattern.signature,
      testFamily: pattern.family,
      tests: pattern.tests.slice(0, 100),
      models: pattern.models.slice(0, 100),
      exemplar: pattern.exemplar,
      firstSeen: pattern.firstSeen,
      lastSeen: pattern.lastSeen,
    },
    statistics: {
      failures: pattern.failures,
      runs: pattern.runs,
      models: pattern.models.length,
      familyOutcomes: pattern.statistics.familyOutcomes,
      backgroundRate: pattern.statistics.backgroundRate,
      pValue: pattern.statistics.pValue,
      qValue: pattern.statistics.qValue,
    },
    evidence: pattern.evidence.map((e) => ({
      outcomeEventId: e.outcome.eventId,
      outcomeGlobalPosition: e.outcome.globalPosition,
      signatureEventId: e.signatureEventId,
      signatureGlobalPosition: e.signatureGlobalPosition,
      runId: e.outcome.runId,
      test: e.outcome.test,
      model: e.outcome.model,
      occurredAt: e.outcome.occurredAt,
    })),
    match: {
      keywords: keywords.keywords,
      chosenFrom: pattern.training.from,
      chosenTo: pattern.training.to,
      failingMatched: keywords.failingMatched,
      passingMatched: keywords.passingMatched,
      passingLogs: keywords.passingLogs,
    },
    lesson: { path: draftLessonPath(pattern), title, category: DRAFTS_CATEGORY, file: lessonFile(title, body, keywords.keywords), body },
    drafter,
    ruleSetId: ruleSet.id,
    ruleSetVersion: ruleSet.version,
  };
}
