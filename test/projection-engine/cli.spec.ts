import { Command } from 'commander';
import { Writable } from 'node:stream';
import { register } from '../../src/cli/commands/projections.command.js';
import { CliError } from '../../src/cli/support/known-errors.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { appendOutcomeRuns } from './support/outcome-history.js';
import { outcomeCountRows } from './support/read-model.js';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('lessonloop projections (CLI)', () => {
  let t: TestApp;
  // As in a CLI process: nothing projects unless the command does it.
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_RUN_PROJECTIONS: 'never' } });
  });
  afterAll(async () => t?.close());

  async function cli(...args: string[]): Promise<string> {
    const out = new Capture();
    const program = new Command('lessonloop').exitOverride();
    register(program, { stdout: out as unknown as NodeJS.WriteStream, withContext: (fn) => fn(t.app) });
    await program.parseAsync(['node', 'lessonloop', 'projections', ...args]);
    return out.text;
  }

  it('shows status, rebuilds with progress until the new instance is current, drops the old one', async () => {
    await appendOutcomeRuns(t.store, 'cli', 0, 30);
    const before = await cli('status');
    expect(before).toMatch(/^INSTANCE\s+STATE\s+CURRENT\s+POSITION\s+PROCESSED\s+LAG/);
    expect(before).toMatch(/outcome-counts\.v1\.g1\s+catching-up 0%\s+yes\s+-\s+0\s+600 ev/);

    const rebuilt = await cli('rebuild', 'outcome-counts');
    expect(rebuilt).toMatch(/outcome-counts\.v1\.g2: 600\/600 events \(100%\), \d+ events\/s, ETA 0s/);
    expect(rebuilt).toContain('outcome-counts.v1.g2 is now current; outcome-counts.v1.g1 is retired');
    expect((await outcomeCountRows(t.sql, 'outcome-counts.v1.g2')).length).toBeGreaterThan(0);

    const json = JSON.parse(await cli('status', '--json')) as { instanceId: string; state: string; current: boolean }[];
    expect(json.find((s) => s.instanceId === 'outcome-counts.v1.g2')).toMatchObject({ state: 'live', current: true });
    expect(json.find((s) => s.instanceId === 'outcome-counts.v1.g1')).toMatchObject({ state: 'retired', current: false });

    expect(await cli('drop', 'outcome-counts.v1.g1')).toBe('Dropped outcome-counts.v1.g1.\n');
    await expect(cli('drop', 'outcome-counts.v1.g2')).rejects.toThrow(CliError);
    await expect(cli('drop', 'outcome-counts.v1.g2')).rejects.toThrow(/is current/);
    await expect(cli('rebuild', 'outcome-counts', '--rule-set', 'missing')).rejects.toThrow(/Unknown rule set "missing"/);
    await expect(cli('rebuild', 'no-such-projection')).rejects.toThrow(/Unknown projection "no-such-projection"/);
    expect(await cli('retry', 'outcome-counts.v1.g2')).toBe('outcome-counts.v1.g2 has not failed; nothing to retry.\n');
  });
});
