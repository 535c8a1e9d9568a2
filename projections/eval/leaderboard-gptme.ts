/**
 * gptme's leaderboard ranking over the `leaderboard` projection's gptme documents (PROVENANCE.md): per
 * (model, format) the latest outcome of each test; pairs with fewer than `minTests` tests dropped; score =
 * Wilson lower bound (z = 1.0); per model the best-scoring format (ties: more tests, then the pair gptme saw
 * first); sorted by score, then test count (stable: first-seen order). Pure.
 */
import type { GptmePairDoc } from './leaderboard.js';
import { formatLabel } from './leaderboard-grouping.js';
import { wilsonLowerBound } from '../stats/wilson.js';

export interface GptmeLeaderboardRow {
  model: string;
  /** `default` for an empty format, as gptme prints it. */
  format: string;
  total_passed: number;
  total_tests: number;
  pass_rate: number;
  ranking_score: number;
}

export function rankGptmeLeaderboard(docs: readonly GptmePairDoc[], minTests = 4): GptmeLeaderboardRow[] {
  const pairs = [...docs]
    .sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : 0))
    .map((doc) => {
      const latest = Object.values(doc.tests);
      const total = latest.length;
      const passed = latest.filter((t) => t.passed).length;
      return { doc, total, passed, score: wilsonLowerBound(passed, total, 1) };
    })
    .filter((p) => p.total >= minTests);
  const best = new Map<string, (typeof pairs)[number]>();
  for (const pair of pairs) {
    const current = best.get(pair.doc.model);
    if (!current || pair.score > current.score || (pair.score === current.score && pair.total > current.total)) {
      best.set(pair.doc.model, pair);
    }
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || b.total - a.total)
    .map((p) => ({
      model: p.doc.model,
      format: formatLabel(p.doc.format),
      total_passed: p.passed,
      total_tests: p.total,
      pass_rate: p.total > 0 ? p.passed / p.total : 0,
      ranking_score: p.score,
    }));
}
