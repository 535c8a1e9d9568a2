// Bundles the dashboard (dashboard/src, dashboard/index.html) into dist/dashboard/ with esbuild: one JS and
// one CSS file, uPlot included, so the page fetches nothing but the API at run time. `npm run build` runs it.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'dashboard');

export async function buildDashboard() {
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'dashboard', 'src', 'main.ts')],
    outfile: path.join(out, 'main.js'),
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'favicon.svg']) await copyFile(path.join(root, 'dashboard', file), path.join(out, file));
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDashboard();
}
