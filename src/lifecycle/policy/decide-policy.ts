/**
 * The lifecycle rules as pure functions of one lesson's posterior and what the policy knows of the lesson:
 * archive (mean below a threshold with at least N rewards; never an exempt lesson), promote (a draft whose
 * lower credible bound is above a threshold with at least N rewards) and, under the same condition, propose
 * the lesson's `## Detection` bullets as keywords; otherwise flag for mutation (mean stuck in a middle band
 * with an interval already narrow; never an exempt lesson, once per lesson and reason). Each result names
 * its rule and the numbers it used.
 */
import type { MUTATION_FLAG_REASONS } from '../../../contracts/bandit.js';
import type { LessonStatus } from '../../../contracts/lesson.js';
import type { BanditRules } from '../../../projections/bandit/bandit-rules.js';
import type { PosteriorSummary } from '../../../projections/bandit/posterior.js';

export interface PolicyLessonView {
  status: LessonStatus;
  category: string;
  hasConfoundNote: boolean;
  /** The frontmatter flag named by `rules.exemptFlag` is set. */
  flaggedExempt: boolean;
  keywords: string[];
  /** Keywords proposed by the lesson's `## Detection` bullets. */
  detectionKeywords: string[];
  /** Reasons this lesson was already flagged for mutation for (absent in states folded before flags existed). */
  mutationFlags?: MutationFlagReason[];
}

export type MutationFlagReason = (typeof MUTATION_FLAG_REASONS)[number];

export type PolicyRuleName =
  | 'archive-low-mean'
  | 'promote-high-lower-bound'
  | 'expand-keywords-from-detection'
  | 'flag-stalled-middle-band'
  | 'archive-negative-effect'
  | 'promote-positive-effect';

export type PolicyVerdict =
  | { kind: 'archive'; rule: PolicyRuleName; to: 'archived'; numbers: Record<string, number>; reason: string }
  | { kind: 'promote'; rule: PolicyRuleName; to: 'active'; numbers: Record<string, number>; reason: string }
  | { kind: 'expand-keywords'; rule: PolicyRuleName; keywords: string[]; numbers: Record<string, number>; reason: string }
  | { kind: 'flag-mutation'; rule: PolicyRuleName; flag: MutationFlagReason; numbers: Record<string, number>; reason: string };

/** Why the policy must not archive this lesson, or null. */
export function archiveExemption(lesson: PolicyLessonView, rules: BanditRules): string | null {
  if (rules.exemptCategories.includes(lesson.category)) return `category ${lesson.category} is exempt`;
  if (rules.exemptWithConfoundNote && lesson.hasConfoundNote) return 'the lesson has a confound note';
  if (lesson.flaggedExempt) return `the lesson sets ${rules.exemptFlag}`;
  return null;
}

export function decidePolicy(lesson: PolicyLessonView, posterior: PosteriorSummary, rules: BanditRules): PolicyVerdict[] {
  if (lesson.status === 'archived') return [];
  const base = { alpha: posterior.alpha, beta: posterior.beta, mean: posterior.mean, lower: posterior.lower, upper: posterior.upper, n: posterior.n };
  if (posterior.n >= rules.archiveMinRewards && posterior.mean < rules.archiveBelowMean && archiveExemption(lesson, rules) === null) {
    return [
      {
        kind: 'archive',
        rule: 'archive-low-mean',
        to: 'archived',
        numbers: { ...base, archiveBelowMean: rules.archiveBelowMean, archiveMinRewards: rules.archiveMinRewards },
        reason: `posterior mean ${posterior.mean.toFixed(4)} < ${rules.archiveBelowMean} after ${posterior.n} rewards (rule archive-low-mean)`,
      },
    ];
  }
  if (posterior.n < rules.promoteMinRewards || !(posterior.lower > rules.promoteAboveLower)) return flagForMutation(lesson, posterior, rules, base);
  const numbers = { ...base, promoteAboveLower: rules.promoteAboveLower, promoteMinRewards: rules.promoteMinRewards, credibleLevel: rules.credibleLevel };
  const verdicts: PolicyVerdict[] = [];
  if (lesson.status === 'draft') {
    verdicts.push({
      kind: 'promote',
      rule: 'promote-high-lower-bound',
      to: 'active',
      numbers,
      reason: `lower ${rules.credibleLevel} credible bound ${posterior.lower.toFixed(4)} > ${rules.promoteAboveLower} after ${posterior.n} rewards (rule promote-high-lower-bound)`,
    });
  }
  const missing = lesson.detectionKeywords.filter((k) => !lesson.keywords.includes(k));
  if (missing.length > 0) {
    verdicts.push({
      kind: 'expand-keywords',
      rule: 'expand-keywords-from-detection',
      keywords: missing,
      numbers,
      reason: `proven lesson (lower bound ${posterior.lower.toFixed(4)} > ${rules.promoteAboveLower}): keywords proposed from its ## Detection bullets (rule expand-keywords-from-detection)`,
    });
  }
  return verdicts;
}

/** Mean in [flagMeanLow, flagMeanHigh] with >= flagMinRewards rewards and interval width <= flagMaxIntervalWidth. */
function flagForMutation(lesson: PolicyLessonView, posterior: PosteriorSummary, rules: BanditRules, base: Record<string, number>): PolicyVerdict[] {
  const width = posterior.upper - posterior.lower;
  const stalled =
    posterior.n >= rules.flagMinRewards &&
    posterior.mean >= rules.flagMeanLow &&
    posterior.mean <= rules.flagMeanHigh &&
    width <= rules.flagMaxIntervalWidth;
  if (!stalled || lesson.status === 'deprecated' || (lesson.mutationFlags ?? []).includes('stalled-middle-band')) return [];
  if (archiveExemption(lesson, rules) !== null) return [];
  return [
    {
      kind: 'flag-mutation',
      rule: 'flag-stalled-middle-band',
      flag: 'stalled-middle-band',
      numbers: {
        ...base,
        intervalWidth: width,
        flagMeanLow: rules.flagMeanLow,
        flagMeanHigh: rules.flagMeanHigh,
        flagMinRewards: rules.flagMinRewards,
        flagMaxIntervalWidth: rules.flagMaxIntervalWidth,
        credibleLevel: rules.credibleLevel,
      },
      reason:
        `posterior mean ${posterior.mean.toFixed(4)} in [${rules.flagMeanLow}, ${rules.flagMeanHigh}] after ${posterior.n} rewards with a ` +
        `${rules.credibleLevel} credible interval ${width.toFixed(4)} wide (<= ${rules.flagMaxIntervalWidth}): more rewards will not settle it (rule flag-stalled-middle-band)`,
    },
  ];
}

/**
 * Keywords a `## Detection` section proposes: the `code spans` of each bullet when it has any, else the
 * bullet's text when it is short (at most 60 characters), lower-cased, without trailing punctuation.
 */
export function detectionKeywords(detection: string | undefined): string[] {
  if (!detection) return [];
  const found: string[] = [];
  for (const line of detection.split(/\r?\n/)) {
    const bullet = /^\s*[-*+]\s+(.+)$/.exec(line)?.[1]?.trim();
    if (!bullet) continue;
    const spans = [...bullet.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());
    const candidates = spans.length > 0 ? spans : bullet.length <= 60 ? [bullet.replace(/[.:;,!]+$/, '')] : [];
    for (const candidate of candidates) {
      const keyword = candidate.toLowerCase();
      if (keyword !== '' && !found.includes(keyword)) found.push(keyword);
    }
  }
  return found;
}
