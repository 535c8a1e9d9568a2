import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dashboardDir, readDashboardFile } from '../../src/dashboard/dashboard-assets.js';

describe('dashboard assets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-dashboard-'));
    await writeFile(path.join(dir, 'main.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'no');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('the bundle lives in dist/dashboard of the package', () => {
    expect(dashboardDir()).toBe(path.resolve(process.cwd(), 'dist', 'dashboard'));
  });

  it('serves bundle files by bare name with their content type', () => {
    const file = readDashboardFile('main.js', dir);
    expect(file?.type).toBe('text/javascript; charset=utf-8');
    expect(file?.body.toString()).toBe('console.log(1)');
  });

  it('refuses paths, hidden names, unknown types and missing files', () => {
    expect(readDashboardFile('../main.js', path.join(dir, 'sub'))).toBeNull();
    expect(readDashboardFile('..%2Fpackage.json', dir)).toBeNull();
    expect(readDashboardFile('.env', dir)).toBeNull();
    expect(readDashboardFile('secret.txt', dir)).toBeNull();
    expect(readDashboardFile('absent.js', dir)).toBeNull();
  });
});
