import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withAppContext } from '../../src/cli/support/app-context.js';
import { register } from '../../src/cli/commands/import-lessons.command.js';
import { CliError } from '../../src/cli/support/known-errors.js';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { runRegisteredCommand } from '../support/cli-command.js';
import { MINI_LESSONS } from './support/fixtures.js';
import { createTempRepo, type TempRepo } from './support/git-repo.js';

describe('lessonloop import lessons', () => {
  it('is registered under `import`', () => {
    const importCommand = buildProgram().commands.find((c) => c.name() === 'import');
    expect(importCommand?.commands.map((c) => c.name())).toContain('lessons');
  });

  it('exits 2 with one line for a missing folder or options that do not go together (no database opened)', async () => {
    const stderr: string[] = [];
    const write = { write: (t: string) => stderr.push(t) };
    expect(await runCli(['node', 'lessonloop', 'import', 'lessons', '/nonexistent/lessons'], write)).toBe(2);
    expect(await runCli(['node', 'lessonloop', 'import', 'lessons', MINI_LESSONS, '--git', '--prune'], write)).toBe(2);
    expect(stderr).toEqual([
      'lessonloop: /nonexistent/lessons is not a directory\n',
      'lessonloop: --prune does not apply to --git (deletions come from the commits)\n',
    ]);
  });

  // On an embedded database in a temp dir: the command opens whatever DATABASE_URL names, and a test must not
  // import into a shared server database. The importers run on PostgreSQL in their own specs.
  describe('through the application context on an embedded database', () => {
    let dataDir: string;
    let repo: TempRepo;
    const config = () => loadAppConfig({ LESSONLOOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const run = (...args: string[]) => runRegisteredCommand(register, dataDir, ['import', 'lessons', ...args]);

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-lessons-cli-'));
      repo = await createTempRepo();
      await repo.write('lessons/tools/a.md', '---\nmatch:\n  keywords: [alpha]\n---\n# A\n');
      await repo.commit('Add lesson a', { author: 'Ann', email: 'ann@example.com', at: '2026-01-01T00:00:00Z' });
    });
    afterAll(async () => {
      await repo?.remove();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('imports a folder, prints the summary with the rejected files, exits 1 for them; a second run adds nothing', async () => {
      const first = await run(MINI_LESSONS, '--actor', 'cli-test');
      expect(first.stdout).toContain('5 lesson files: 2 created, 0 changed, 0 moved, 0 deleted, 0 already imported, 3 rejected; 2 event(s) appended');
      expect(first.stdout).toContain('rejected broken/unclosed.md: the frontmatter opened by --- on line 1 is never closed by a --- line');
      expect(first.error).toBeInstanceOf(CliError);
      expect((first.error as CliError).message).toBe('3 lesson file(s) rejected and skipped (reasons above)');
      const second = await run(MINI_LESSONS);
      expect(second.stdout).toContain('2 already imported, 3 rejected; nothing appended');
    }, 120_000);

    it('--git replays a repository folder; again adds nothing', async () => {
      const first = await run(path.join(repo.dir, 'lessons'), '--git');
      expect(first.error).toBeUndefined();
      expect(first.stdout).toBe('1 lesson file version in 1 commit(s): 1 created, 0 changed, 0 moved, 0 deleted, 0 already imported, 0 rejected; 1 event(s) appended\n');
      const again = await run(path.join(repo.dir, 'lessons'), '--git');
      expect(again.stdout).toBe('1 lesson file version in 1 commit(s): 0 created, 0 changed, 0 moved, 0 deleted, 1 already imported, 0 rejected; nothing appended\n');
      const events = await withAppContext((app) => app.get<EventStore>(EVENT_STORE).readAll(), config());
      const lessonEvents = events.filter((e) => e.streamId.startsWith('lesson-'));
      expect(lessonEvents.map((e) => [e.type, e.metadata.actor ?? null])).toEqual([
        ['LessonCreated', 'cli-test'],
        ['LessonCreated', 'cli-test'],
        ['LessonCreated', 'Ann <ann@example.com>'],
      ]);
      expect(lessonEvents[2]!.data).toMatchObject({ path: 'tools/a.md', category: 'tools', reason: 'Add lesson a' });
    }, 120_000);

    it('--git outside a repository is one clear error', async () => {
      const outside = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-not-a-repo-'));
      try {
        const result = await run(outside, '--git');
        expect(result.error).toBeInstanceOf(CliError);
        expect((result.error as Error).message).toMatch(/^git rev-parse failed in .*not a git repository/i);
      } finally {
        await rm(outside, { recursive: true, force: true });
      }
    }, 120_000);
  });
});
