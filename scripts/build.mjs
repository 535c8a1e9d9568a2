// `npm run build` (and so `npm start`'s prestart): compiles with tsc and bundles the dashboard, each only when an
// input changed since its last successful build, so starting an unchanged checkout runs neither. An input is
// newer when a file or folder under it (a deletion touches its folder) has a later mtime than the build's stamp.
// `--force` builds both. Prints one line saying what it did.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);
const force = process.argv.includes('--force');

const TSC_INPUTS = ['src', 'contracts', 'projections', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const DASHBOARD_INPUTS = ['dashboard', 'scripts/build-dashboard.mjs', 'package-lock.json'];
const TSC_STAMP = at('dist', '.build-stamp-tsc');
const DASHBOARD_STAMP = at('dist', '.build-stamp-dashboard');

/** The latest mtime of a file or folder tree (node_modules and dot folders aside). */
function newest(target) {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    latest = Math.max(latest, newest(path.join(target, entry.name)));
  }
  return latest;
}

const stale = (inputs, stamp) => force || !existsSync(stamp) || inputs.some((input) => newest(at(input)) > statSync(stamp).mtimeMs);

/** Stamped with the time the build started: an edit made while it ran still counts as newer next time. */
const stampNow = () => Date.now();
const writeStamp = (stamp, startedAt) => {
  writeFileSync(stamp, `${new Date(startedAt).toISOString()}\n`);
  utimesSync(stamp, startedAt / 1000, startedAt / 1000);
};

const done = [];
if (stale(TSC_INPUTS, TSC_STAMP)) {
  const startedAt = stampNow();
  const tsc = spawnSync(process.execPath, [at('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  writeStamp(TSC_STAMP, startedAt);
  done.push('compiled with tsc');
}
if (stale(DASHBOARD_INPUTS, DASHBOARD_STAMP)) {
  const startedAt = stampNow();
  const { buildDashboard } = await import('./build-dashboard.mjs');
  await buildDashboard();
  writeStamp(DASHBOARD_STAMP, startedAt);
  done.push('bundled the dashboard');
}
console.log(done.length === 0 ? 'build: up to date, nothing compiled (tsc not run)' : `build: ${done.join(', ')}`);
