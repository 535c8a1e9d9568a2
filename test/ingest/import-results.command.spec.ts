import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withAppContext } from '../../src/cli/support/app-context.js';
import { register } from '../../src/cli/commands/import-results.command.js';
import { CliError } from '../../src/cli/support/known-errors.js';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../../src/cli/run-cli.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { runRegisteredCommand } from '../support/cli-command.js';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures/gptme-mini');

describe('lessonloop import results <dir>', () => {
  it('is registered under `import`', () => {
    const importCommand = buildProgram().commands.find((c) => c.name() === 'import');
    expect(importCommand?.commands.map((c) => c.name())).toContain('results');
  });

  it('exits 2 with one line when the directory does not exist (no database opened)', async () => {
    const stderr: string[] = [];
    const code = await runCli(['node', 'lessonloop', 'import', 'results', '/nonexistent/eval_results'], { write: (t: string) => stderr.push(t) });
    expect(code).toBe(2);
    expect(stderr.join('')).toBe('lessonloop: /nonexistent/eval_results is not a directory\n');
  });

  // Always on an embedded database in a temp dir: the command opens whatever DATABASE_URL names, and a test
  // must not import into a shared server database. The importer itself runs on PostgreSQL in import-results.spec.ts.
  describe('through the application context on an embedded database', () => {
    let dataDir: string;
    const config = () => loadAppConfig({ LESSONLOOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const run = (dir: string) => runRegisteredCommand(register, dataDir, ['import', 'results', dir]);

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-import-cli-'));
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('imports, prints the summary, and a second run adds nothing', async () => {
      const first = await run(path.join(FIXTURES, 'valid'));
      expect(first.error).toBeUndefined();
      expect(first.stdout).toMatch(/^import: 7 runs to read\n/);
      expect(first.stdout).toContain('\n7 runs new, 0 already recorded, 0 rejected (7 run folders in ');
      expect(first.stdout).toContain('Skipped (not run folders): 20261399_000000Z/, README.md, not-a-run/');

      const second = await run(path.join(FIXTURES, 'valid'));
      expect(second.error).toBeUndefined();
      expect(second.stdout).toContain('0 runs new, 7 already recorded, 0 rejected');
      const events = await withAppContext((app) => app.get<EventStore>(EVENT_STORE).countAfter(), config());
      expect(events).toBe(22);
    });

    it('exits 1 when a run was rejected, after importing the others and printing the reasons', async () => {
      const { error, stdout } = await run(path.join(FIXTURES, 'malformed'));
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(1);
      expect((error as CliError).message).toBe('4 run(s) rejected; nothing of them was written (reasons above)');
      expect(stdout).toContain('1 runs new, 0 already recorded, 4 rejected');
      expect(stdout).toMatch(/Rejected 20250102_000000Z:\n {2}.*20250102_000000Z\/eval_results\.csv:3: Passed must be true or false, got "yes"/);
    });
  });
});
