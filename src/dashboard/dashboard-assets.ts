import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const isLessonloopRoot = (dir: string) => {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return false;
  return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'lessonloop';
};

/**
 * Where `npm run build` puts the bundled dashboard (scripts/build-dashboard.mjs): dist/dashboard of the package,
 * found upwards from this file (src/ under jest, dist/src/ when built, /app/dist/src/ in the image).
 */
export function dashboardDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isLessonloopRoot(dir)) return path.join(dir, 'dist', 'dashboard');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist', 'dashboard');
    dir = parent;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface DashboardFile {
  body: Buffer;
  type: string;
}

/** A file of the bundle by its bare name (no folders: nothing outside the bundle can be asked for); null if absent. */
export function readDashboardFile(name: string, dir = dashboardDir()): DashboardFile | null {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) return null;
  const type = TYPES[path.extname(name)];
  const file = path.join(dir, name);
  if (!type || !existsSync(file)) return null;
  return { body: readFileSync(file), type };
}
