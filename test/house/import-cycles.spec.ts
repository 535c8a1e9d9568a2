/**
 * No import cycle among src/, projections/ and contracts/ (type-only imports count too: they tie the files'
 * meaning together). dpdm resolves the `.js` suffixes of the ESM TypeScript imports to the `.ts` files. It runs
 * as its CLI in a child process: its CommonJS build requires ESM-only packages, which Jest's module loader
 * cannot load before Node 24.9.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dpdm = path.join(path.dirname(createRequire(import.meta.url).resolve('dpdm/package.json')), 'lib/bin/dpdm.js');

interface DpdmOutput {
  tree: Record<string, unknown>;
  circulars: string[][];
}

describe('import graph', () => {
  it('has no cycle in src, projections or contracts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'import-cycles-'));
    try {
      const output = path.join(dir, 'graph.json');
      const globs = ['src/**/*.ts', 'projections/**/*.ts', 'contracts/**/*.ts'];
      await promisify(execFile)(process.execPath, [dpdm, '--no-tree', '--no-warning', '--no-circular', '--no-progress', '--exclude', 'node_modules|\\.spec\\.ts$', '-o', output, ...globs], { cwd: root });
      const graph = JSON.parse(await readFile(output, 'utf8')) as DpdmOutput;
      const files = Object.keys(graph.tree).filter((file) => !file.startsWith('node_modules'));
      expect(files.length).toBeGreaterThan(100); // the walk really read the project
      expect(graph.circulars.map((cycle) => cycle.join(' -> '))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
