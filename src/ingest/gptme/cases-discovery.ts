import { readdir } from 'node:fs/promises';
import path from 'node:path';

export const CASES_FILE = 'cases.csv';
/** `<model with slashes>/<format>/<test>`: deep enough for every layout gptme wrote, with room to spare. */
const MAX_DEPTH = 10;

/**
 * Every `cases.csv` below a run folder, keyed by its folder relative to the run, with `/` separators
 * (`openai/gpt-4o/hello`, `anthropic/claude-haiku-4-5/tool/hello`).
 */
export async function findCasesFiles(runDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (dir: string, relative: string[], depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(path.join(dir, entry.name), [...relative, entry.name], depth + 1);
      else if (entry.isFile() && entry.name === CASES_FILE && relative.length > 0) found.set(relative.join('/'), path.join(dir, entry.name));
    }
  };
  await walk(runDir, [], 0);
  return found;
}

/**
 * The folders where gptme may have put an outcome's cases.csv, most specific first:
 * `<model>/<format>/<test>`, `<model>@<format>/<test>`, `<raw model>/<test>`, `<model>/<test>`.
 */
export function casesFolderCandidates(outcome: { rawModel: string; model: string; toolFormat: string | null; test: string }): string[] {
  const { rawModel, model, toolFormat, test } = outcome;
  const candidates = toolFormat ? [`${model}/${toolFormat}/${test}`, `${model}@${toolFormat}/${test}`] : [];
  candidates.push(`${rawModel}/${test}`, `${model}/${test}`);
  return [...new Set(candidates)];
}
