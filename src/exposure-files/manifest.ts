/**
 * `lessons.jsonl`, an optional manifest beside `eval_results.csv` for harnesses that keep no logs (or flip the
 * holdout coin themselves): one JSON object per line, one line per (model, format, test[, occurrence]), naming
 * the lessons injected and withheld exactly as POST /exposures takes them. See docs/exposure-files.md.
 * Pure: parses text already read; every problem is listed with its line, and one problem rejects the file.
 */
import { z } from 'zod';
import { injectedLessonSchema, withheldLessonSchema } from '../../contracts/exposure.js';
import { nameString, testName } from '../../contracts/limits.js';
import type { IngestIssue } from '../ingest/gptme/ingest-issue.js';

export const MANIFEST_FILE = 'lessons.jsonl';

export const manifestLineSchema = z.strictObject({
  /** The `Model` cell exactly as eval_results.csv writes it (`openai/gpt-4o@tool`, or `openai/gpt-4o`). */
  model: nameString,
  /** The `Tool Format` cell, for files with that column; absent = any format. */
  format: nameString.optional(),
  test: testName,
  /** Which of several outcomes of the same (model, format, test) in the run, 0-based; default 0. */
  occurrence: z.number().int().min(0).max(10_000).default(0),
  /** A stratum key for the effect estimators (else the outcome's suite). */
  category: nameString.optional(),
  injected: z.array(injectedLessonSchema).max(200).default([]),
  withheld: z.array(withheldLessonSchema).max(200).default([]),
});
export type ManifestLine = z.infer<typeof manifestLineSchema>;

export type ManifestParse = { ok: true; lines: (ManifestLine & { line: number })[] } | { ok: false; issues: IngestIssue[] };

export const manifestKey = (model: string, format: string | null | undefined, test: string, occurrence: number) =>
  JSON.stringify([model, format ?? null, test, occurrence]);

export function parseManifest(text: string, file: string): ManifestParse {
  const issues: IngestIssue[] = [];
  const lines: (ManifestLine & { line: number })[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || issues.length >= 50) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      issues.push({ file, line, reason: `not JSON (${error instanceof Error ? error.message : String(error)})` });
      return;
    }
    const parsed = manifestLineSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ file, line, field: issue.path.join('.'), reason: `${issue.path.join('.') || 'line'}: ${issue.message}` });
      return;
    }
    const key = manifestKey(parsed.data.model, parsed.data.format, parsed.data.test, parsed.data.occurrence);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      issues.push({ file, line, reason: `the same model, format, test and occurrence as line ${earlier}` });
      return;
    }
    seen.set(key, line);
    lines.push({ ...parsed.data, line });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, lines };
}
