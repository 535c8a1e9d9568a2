/** Where the lesson fixtures are: our small made-up ones, and gptme's real lessons in ../shared (read-only). */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const MINI_LESSONS = path.resolve(process.cwd(), 'test/fixtures/lessons-mini');
export const GPTME_LESSONS = path.resolve(process.cwd(), '../shared/fixtures/gptme/lessons');
export const HAS_GPTME_LESSONS = existsSync(GPTME_LESSONS);
/** Appended to the names of tests that need the real lessons, so a skipped run says why. */
export const GPTME_LESSONS_NOTE = HAS_GPTME_LESSONS ? '' : ' [SKIPPED: ../shared/fixtures/gptme/lessons is absent]';

/** A writable copy of a fixture folder in a temp dir; remove() deletes it. */
export async function copyOfFixture(from: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-lessons-'));
  await cp(from, dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
