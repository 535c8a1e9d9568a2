/**
 * A draft's `match.keywords`, chosen to discriminate on the pattern's training days: each keyword is a literal
 * stretch of its failures' error lines (what the log wrote between paths, numbers and ids), matched as gptme
 * matches keywords (case-insensitive substring, lesson-matcher.ts). Candidates that match more than
 * `draftMaxPassingShare` of the sampled passing logs are dropped; then the fewest, most specific keywords that cover
 * the most training failures are taken (at most three). Pure.
 */
import { literalParts, normaliseErrorText } from '../../../projections/drafts/normalise.js';
import type { DraftRules } from '../../../projections/drafts/draft-rules.js';
import type { DetectedPattern } from '../../../projections/drafts/detect-patterns.js';
import { keywordRegExp } from '../../lessons/domain/lesson-matcher.js';

export interface ChosenKeywords {
  keywords: string[];
  failingMatched: number;
  passingMatched: number;
  passingLogs: number;
}

const MIN_KEYWORD_LENGTH = 6;
const MAX_KEYWORD_LENGTH = 120;
const MAX_KEYWORDS = 3;

/** Literal stretches of a line, whole and split at `: ` (the exception type alone, the message alone). */
export function keywordCandidates(line: string): string[] {
  const out = new Set<string>();
  for (const part of literalParts(normaliseErrorText(line))) {
    const pieces = [part, ...part.split(/:\s+/)];
    for (const piece of pieces) {
      const text = piece.trim().replace(/^[\s'"`:,;([{=.-]+|[\s'"`:,;)\]}=.-]+$/g, '');
      if (text.length >= MIN_KEYWORD_LENGTH && text.length <= MAX_KEYWORD_LENGTH && !text.includes('*')) out.add(text);
    }
  }
  return [...out];
}

export function keywordMatches(keyword: string, text: string): boolean {
  return keywordRegExp(keyword)?.test(text.toLowerCase()) ?? false;
}

export function anyKeywordMatches(keywords: readonly string[], text: string): boolean {
  return keywords.some((k) => keywordMatches(k, text));
}

export function chooseKeywords(pattern: DetectedPattern, passingTexts: readonly string[], rules: DraftRules): ChosenKeywords {
  const failing = pattern.training.failures.map((f) => f.signature.excerpt);
  const candidates = [...new Set([...keywordCandidates(pattern.exemplar), ...failing.flatMap(keywordCandidates)])].sort();
  const scored = candidates.map((keyword) => {
    const covers = failing.map((text) => keywordMatches(keyword, text));
    const passing = passingTexts.filter((text) => keywordMatches(keyword, text)).length;
    return { keyword, covers, passingShare: passingTexts.length === 0 ? 0 : passing / passingTexts.length };
  });
  const allowed = scored.filter((s) => s.passingShare <= rules.draftMaxPassingShare);
  const pool = allowed.length > 0 ? allowed : scored.slice().sort((a, b) => a.passingShare - b.passingShare).slice(0, 1);
  const chosen: typeof scored = [];
  const covered = new Array<boolean>(failing.length).fill(false);
  while (chosen.length < MAX_KEYWORDS) {
    let best: (typeof scored)[number] | null = null;
    let bestGain = 0;
    for (const s of pool) {
      if (chosen.includes(s)) continue;
      const gain = s.covers.filter((c, i) => c && !covered[i]).length;
      if (gain > bestGain || (gain === bestGain && best !== null && gain > 0 && better(s, best))) {
        best = s;
        bestGain = gain;
      }
    }
    if (best === null || bestGain === 0) break;
    chosen.push(best);
    best.covers.forEach((c, i) => (covered[i] = covered[i] || c));
    if (covered.filter(Boolean).length >= rules.draftMinKeywordCover * failing.length && covered.every(Boolean)) break;
  }
  if (chosen.length === 0 && pool.length > 0) chosen.push(pool[0]!);
  const keywords = chosen.map((s) => s.keyword);
  const passingMatched = passingTexts.filter((text) => anyKeywordMatches(keywords, text)).length;
  return {
    keywords,
    failingMatched: failing.length === 0 ? 0 : failing.filter((text) => anyKeywordMatches(keywords, text)).length / failing.length,
    passingMatched: passingTexts.length === 0 ? 0 : passingMatched / passingTexts.length,
    passingLogs: passingTexts.length,
  };
}

/**
 * Fewer passing matches first, then the longer keyword: a whole error message says more than its exception type
 * (`TypeError` alone would match every TypeError), and it stays literal because only paths, numbers and ids
 * vary in it. Then alphabetical.
 */
function better(a: { keyword: string; passingShare: number }, b: { keyword: string; passingShare: number }): boolean {
  if (a.passingShare !== b.passingShare) return a.passingShare < b.passingShare;
  if (a.keyword.length !== b.keyword.length) return a.keyword.length > b.keyword.length;
  return a.keyword < b.keyword;
}
